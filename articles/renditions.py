"""Responsive renditions of story photos, made once for each picture and never at page render: by
a worker after the photo is saved (articles/tasks.py), or by `manage.py make_renditions`.

For every width of WIDTHS no wider than the photo (always at least one), sorl-thumbnail makes a
WebP and a JPEG in the media storage. What a page needs to point at them (names and sizes) is kept
on the photo itself, in Photo.renditions, so drawing a page costs no query and no look-up in
sorl's key-value store. The picture reaching here is upright already (articles/images.py applies
the EXIF orientation on upload); sorl applies it too (THUMBNAIL_ORIENTATION) for older files.
"""

import io
import logging
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
# Photo.renditions key: (Pillow format, quality). WebP first: browsers take the first they can show.
FORMATS = {"webp": ("WEBP", 80), "jpeg": ("JPEG", 82)}


_decoded = threading.local()


@contextmanager
def decoded_once():
    """Within it, each source is decoded once for all its renditions (make() does the widest
    first, so a JPEG's reduced decode serves every narrower one)."""
    _decoded.images = {}
    try:
        yield
    finally:
        _decoded.images = None


class Engine(PILEngine):
    """sorl's Pillow engine (THUMBNAIL_ENGINE), quicker and right for 16-bit greyscale.

    A JPEG source is decoded at reduced size (Image.draft: 1/2, 1/4 or 1/8, never below the
    rendition's size), and within decoded_once() only once for all twelve renditions; 16-bit and
    32-bit greyscale is scaled to 8 bits, where sorl's own conversion clips everything over 255
    to white.
    """

    def get_image(self, source):
        images = getattr(_decoded, "images", None)
        if images is None:
            return super().get_image(source)
        if source.name in images:
            return images[source.name].copy()  # decoded by the first rendition's create()
        image = images[source.name] = super().get_image(source)
        return image

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


def widths_for(width):
    """The widths made for a picture `width` pixels wide: never wider than it (no upscaling)."""
    return [step for step in WIDTHS if step <= width] or [width]


def make(field_file, width):
    """Photo.renditions for the picture in `field_file` (`width` pixels wide): sorl makes the files.

    On any failure the files made so far are removed and only the source's name comes back: the
    photo is kept, and shown from its original, until `manage.py make_renditions` is run.
    """
    made = {"source": field_file.name}
    try:
        # Each rendition reads the source; the source cache lets it come from storage only once.
        with source_cache(), decoded_once():
            for key, (image_format, quality) in FORMATS.items():
                made[key] = []
                for step in reversed(widths_for(width)):  # widest first: see decoded_once()
                    thumbnail = get_thumbnail(
                        field_file, str(step), format=image_format, quality=quality, upscale=False
                    )
                    made[key].insert(
                        0, {"name": thumbnail.name, "width": thumbnail.width, "height": thumbnail.height}
                    )
    except Exception:
        logger.exception("Could not make the renditions of %s", field_file.name)
        remove_files(made)
        return {"source": field_file.name, "failed": True}
    return made


def names(renditions):
    return {item["name"] for key in FORMATS for item in renditions.get(key, ())}


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
