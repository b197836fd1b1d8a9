"""Responsive renditions of story photos, made once for each picture and never at page render: by
a worker after the photo is saved (articles/tasks.py), or by `manage.py make_renditions`.

For every width of WIDTHS no wider than the photo (always at least one), sorl-thumbnail makes a
WebP and a JPEG in the media storage; and for each ratio of RATIOS (16:9, 4:3, 1:1: what Google
Discover and Top Stories take, and what the page's slots show), the largest box of that shape
centred on the photo's focal point (kept inside the picture), at every width of CROP_WIDTHS it
allows. What a page needs to point at them (names and sizes) is kept on the photo itself, in
Photo.renditions (its shape: Photo's docstring), so drawing a page costs no query and no look-up
in sorl's key-value store. The picture reaching here is upright already (articles/images.py applies
the EXIF orientation on upload); sorl applies it too (THUMBNAIL_ORIENTATION) for older files.
"""

import io
import logging
import math
import threading
from contextlib import contextmanager

from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils.functional import empty
from PIL import Image
from sorl.thumbnail import default as sorl_default
from sorl.thumbnail import delete as sorl_delete
from sorl.thumbnail import get_thumbnail
from sorl.thumbnail.engines.pil_engine import Engine as PILEngine
from sorl.thumbnail.images import source_cache

from core.images import real_format, to_8_bit

logger = logging.getLogger(__name__)

# Widths in pixels: from a phone's teaser to a story photo on a wide screen at 2x.
WIDTHS = (320, 480, 640, 960, 1280, 1600)
# Crops: key (as in Photo.renditions["crops"]) -> (width, height) of the shape.
RATIOS = {"16:9": (16, 9), "4:3": (4, 3), "1:1": (1, 1)}
# Widths of the crops: 1200 is what Discover asks for at least, and what Open Graph shows.
CROP_WIDTHS = (320, 640, 960, 1200, 1600)
# Photo.renditions key: (Pillow format, quality). WebP first: browsers take the first they can show.
FORMATS = {"webp": ("WEBP", 80), "jpeg": ("JPEG", 82)}


_decoded = threading.local()


@contextmanager
def decoded_once(size=None):
    """Within it, each source is decoded once for all its renditions: a JPEG at a reduced size no
    smaller than `size` (width, height), the most any of them needs (else than the first's)."""
    _decoded.images, _decoded.size = {}, size
    try:
        yield
    finally:
        _decoded.images = _decoded.size = None


class Engine(PILEngine):
    """sorl's Pillow engine (THUMBNAIL_ENGINE), quicker and right for 16-bit greyscale.

    A JPEG source is decoded at reduced size (Image.draft: 1/2, 1/4 or 1/8, never below the
    rendition's size), and within decoded_once() only once for all its renditions; 16-bit and
    32-bit greyscale is scaled to 8 bits, where sorl's own conversion clips everything over 255
    to white.
    """

    def get_image(self, source):
        images = getattr(_decoded, "images", None)
        if images is None:
            return super().get_image(source)
        if source.name not in images:
            images[source.name] = self._decode_once(super().get_image(source))
        return images[source.name].copy()

    def _decode_once(self, image):
        """The source for every rendition of it: a JPEG decoded at reduced size, then (an upright
        picture in a mode Lanczos scales well) scaled once to the size the largest rendition needs,
        so that each of the forty or so scales from that, not from the whole stored picture."""
        size = getattr(_decoded, "size", None)
        if not size:
            return image  # create() drafts for the first rendition's size
        orientation = image.getexif().get(0x0112, 1)  # sorl turns such a picture later
        width, height = (size[1], size[0]) if orientation in (5, 6, 7, 8) else size  # sides swap
        if real_format(image) == "JPEG":
            image.draft(image.mode, (width, height))
        if orientation != 1 or image.mode not in ("RGB", "RGBA", "L", "LA"):
            return image
        # Only to a size of exactly the same shape (3864 × 2576 to 2400 × 1600, both 3:2): sorl
        # works each rendition's size out from the source's shape, and a pixel off makes 1599 of 1600.
        across, down = (side // math.gcd(*image.size) for side in image.size)
        times = math.ceil(max(width / across, height / down))
        if across * times > image.width * 3 // 4:
            return image  # not worth a resample of its own
        image.load()
        return self._scale(image, across * times, down * times)

    def create(self, image, geometry, options):
        if real_format(image) == "JPEG" and all(geometry):  # draft() does nothing once loaded
            width, height = geometry
            if image.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # turned a quarter: sides swap
                width, height = height, width
            image.draft(image.mode, (width, height))
        return super().create(image, geometry, options)

    def _get_raw_data(self, image, format_, quality, image_info=None, progressive=False):
        if format_ != "WEBP" or isinstance(image, list):
            return super()._get_raw_data(image, format_, quality, image_info, progressive)
        # libwebp's effort 2 of 6, not 4: half the time (the bulk of a big photo's renditions)
        # for files about 5 % bigger.
        params = {"quality": quality, "method": 2}
        if "icc_profile" in (image_info or {}):
            params["icc_profile"] = image_info["icc_profile"]
        buffer = io.BytesIO()
        image.save(buffer, "WEBP", **params)
        return buffer.getvalue()

    def _scale(self, image, width, height):
        # Halved by whole pixel blocks first, down to 3 times the size: the same picture, and
        # several times quicker from a big source.
        return image.resize((width, height), resample=Image.Resampling.LANCZOS, reducing_gap=3.0)

    def colorspace(self, image, geometry, options):
        return super().colorspace(to_8_bit(image), geometry, options)


def widths_for(width, steps=None):
    """The widths (of WIDTHS, or `steps`) made for a picture `width` pixels wide: never wider than it
    (no upscaling)."""
    return [step for step in steps or WIDTHS if step <= width] or [width]


def crop_box(width, height, ratio):
    """The largest (width, height) of shape `ratio` (a RATIOS key) inside width × height."""
    across, down = RATIOS[ratio]
    if width * down > height * across:  # wider than the shape: full height
        return height * across // down, height
    return width, width * down // across


def crop_position(width, height, ratio, focal):
    """sorl's `crop` option ("x% y%") for the crop box centred on `focal` (fractions of the width and
    height), pushed back inside the picture where the point is near an edge."""
    box = crop_box(width, height, ratio)
    percents = []
    for side, box_side, point in zip((width, height), box, focal, strict=True):
        spare = side - box_side  # sorl places the box at this share of what is left over
        start = min(max(point * side - box_side / 2, 0), spare)
        percents.append(round(100 * start / spare) if spare else 50)
    return "{}% {}%".format(*percents)


def _plan(width, height, focal):
    """[(where in Photo.renditions, geometry, options)] of every rendition, widest first in each list."""
    plan = []
    for key, (image_format, quality) in FORMATS.items():
        common = {"format": image_format, "quality": quality, "upscale": False}
        for step in reversed(widths_for(width)):
            plan.append(((key,), str(step), common))
        for ratio in RATIOS:
            box_width, _box_height = crop_box(width, height, ratio)
            crop = crop_position(width, height, ratio, focal)
            across, down = RATIOS[ratio]
            for step in reversed(widths_for(box_width, CROP_WIDTHS)):
                geometry = f"{step}x{step * down // across}"
                plan.append((("crops", ratio, key), geometry, {**common, "crop": crop}))
    return plan


def make(field_file, width, height, focal=(0.5, 0.5)):
    """Photo.renditions for the picture in `field_file` (`width` × `height` pixels, upright) and
    the focal point `focal` (fractions): sorl makes the files.

    On any failure the files made so far are removed, and only the source's name and the focal
    point come back, marked failed: the photo is kept, and shown from its original, until
    `manage.py make_renditions` is run.
    """
    focal = [float(focal[0]), float(focal[1])]
    made = {"source": field_file.name, "focal": focal}
    plan = _plan(width, height, focal)
    # The source is decoded once, at the size the largest of them needs (a crop may need more
    # height than the widest full picture).
    scale = min(1.0, max(_scale_needed(width, height, geometry) for _where, geometry, _options in plan))
    try:
        # Each rendition reads the source; the source cache lets it come from storage only once.
        with source_cache(), decoded_once((math.ceil(width * scale), math.ceil(height * scale))):
            for where, geometry, options in plan:
                thumbnail = get_thumbnail(field_file, geometry, **options)
                items = made
                for part in where[:-1]:
                    items = items.setdefault(part, {})
                items.setdefault(where[-1], []).insert(
                    0, {"name": thumbnail.name, "width": thumbnail.width, "height": thumbnail.height}
                )
    except Exception:
        logger.exception("Could not make the renditions of %s", field_file.name)
        remove_files(made)
        return {"source": field_file.name, "focal": focal, "failed": True}
    return made


def _scale_needed(width, height, geometry):
    across, _, down = geometry.partition("x")
    if not down:
        return int(across) / width
    return max(int(across) / width, int(down) / height)  # a crop covers the box, then is cut


def items(renditions):
    """Every rendition (a dict with name, width, height) in `renditions`, crops too."""
    for key in FORMATS:
        yield from renditions.get(key, ())
    for crop in renditions.get("crops", {}).values():
        for key in FORMATS:
            yield from crop.get(key, ())


def names(renditions):
    return {item["name"] for item in items(renditions)}


def remove_files(renditions, *, keep=None):
    """Delete the rendition files now, and sorl's records of them; `keep` names files to leave."""
    for name in names(renditions) - names(keep or {}):
        try:
            default_storage.delete(name)
        except OSError as exc:
            logger.warning("Could not delete the rendition %s: %s", name, exc)
    source = renditions.get("source")
    if source and source != (keep or {}).get("source"):
        forget(source)


def forget(source_name):
    """Drop sorl's records of the renditions of `source_name` (and those files), not the source."""
    try:
        sorl_delete(source_name, delete_file=False)
    except Exception:
        logger.exception("Could not clear the rendition records of %s", source_name)


def remove_files_on_commit(renditions, *, keep=None):
    """Old renditions go once the change is committed: a rolled-back save still has its pictures."""
    if names(renditions) or renditions.get("source"):
        transaction.on_commit(lambda: remove_files(renditions, keep=keep))


def photo_deleted(sender, instance, **kwargs):
    """post_delete of Photo: also for the admin's bulk delete, which does not call Photo.delete()."""
    remove_files_on_commit(instance.renditions)


@receiver(setting_changed)
def _storages_changed(setting, **kwargs):
    # sorl keeps the storage it first saw; tests that swap STORAGES must reach the new one.
    if setting == "STORAGES":
        sorl_default.storage._wrapped = empty
