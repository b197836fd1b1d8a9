"""Uploaded pictures (story photos and readers' avatars): checked, re-encoded and stored in one place.

Pillow, not the file name, decides what a file is. A file over PHOTO_MAX_UPLOAD_BYTES is refused
before Pillow sees it; one with more than PHOTO_MAX_PIXELS pixels is refused from its header,
before any pixel is decoded (Image.MAX_IMAGE_PIXELS is kept at the same limit, so Pillow itself
refuses such a file anywhere else too). What is kept is re-encoded: the EXIF orientation applied,
then every piece of metadata (EXIF with GPS positions, XMP, comments) left behind, under a random
name with the extension of the real format.

Speed: a 40-megapixel camera JPEG is decoded at reduced size (Image.draft: libjpeg scales by 1/2,
1/4 or 1/8 while decoding, still reading every byte, so a truncated file is still caught), and the
picture is decoded once: the form field's check keeps what it decoded for the re-encode. Stored
originals are at most PHOTO_MAX_STORED_SIDE pixels on the long side (the widest rendition is
1600); a JPEG over it is decoded at the smallest of those scales that leaves at least half of it,
then scaled to fit. Avatars, a 256-pixel square, are decoded at the smallest scale that covers it,
and, unless JPEG, refused over AVATAR_MAX_PIXELS before any pixel is decoded.
"""

import errno
import io
import logging
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.storage import StorageUnavailable

logger = logging.getLogger(__name__)

# Pillow's format name: the extension stored files get.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# MPO (multi-picture) is what phones and cameras save: a JPEG with a second, smaller picture after
# it. Its first picture is a JPEG, and it is stored as one.
SAME_AS = {"MPO": "JPEG"}
ALLOWED_FORMATS = set(EXTENSIONS) | set(SAME_AS)
# 16-bit (and 32-bit) greyscale: kept as 8-bit, scaled (65535 is white, not 255 and over).
WIDE_GREY_MODES = {"I;16", "I;16B", "I;16L", "I;16N", "I", "F"}
JPEG_QUALITY = 88
# No room left on the device, quota exceeded, file too large for the file system.
DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def apply_pixel_limit(**kwargs):
    """Pillow refuses images over PHOTO_MAX_PIXELS everywhere, not only in our own checks."""
    Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS


def bomb_warnings_are_errors():
    # Pillow only warns between the limit and twice the limit; anywhere else in the site (the
    # demo, a management command) that is an error too. open_image() reports those with their size.
    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


@receiver(setting_changed)
def _pixel_limit_changed(setting, **kwargs):
    if setting == "PHOTO_MAX_PIXELS":
        apply_pixel_limit()


def _megapixels():
    return f"{settings.PHOTO_MAX_PIXELS / 1_000_000:g}"


def _too_many_pixels(width=None, height=None):
    megapixels = _megapixels()
    if width and height:
        message = _("This image is %(w)s × %(h)s pixels, more than the %(mp)s megapixels allowed.") % {
            "w": width,
            "h": height,
            "mp": megapixels,
        }
    else:
        message = _(
            "This image has more than the %(mp)s megapixels allowed, too many to be processed safely. "
            "Make it smaller and upload it again."
        ) % {"mp": megapixels}
    return ValidationError(message, code="too_many_pixels")


def check_size(file):
    size = getattr(file, "size", None)
    if size is not None and size > settings.PHOTO_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s. Export a smaller JPEG and try again.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.PHOTO_MAX_UPLOAD_BYTES)},
            code="too_big",
        )


class _KeepOpen:
    """The uploaded file as Pillow sees it: closing the image must not close the upload."""

    def __init__(self, file):
        self._file = file

    def __getattr__(self, name):
        return getattr(self._file, name)

    def close(self):
        pass


def real_format(image):
    return SAME_AS.get(image.format, image.format)


def open_image(file, *, max_pixels=None):
    """The file opened by Pillow from its header only: format allowed, pixel count within the limit
    (`max_pixels`, else PHOTO_MAX_PIXELS).

    Nothing is decoded yet. Raises ValidationError with a message for the person uploading.
    """
    check_size(file)
    apply_pixel_limit()
    file.seek(0)
    try:
        with warnings.catch_warnings(record=True):
            # Between the limit and twice the limit Pillow only warns: the check below refuses
            # those, with their size; over twice the limit Pillow refuses them itself.
            warnings.simplefilter("always", Image.DecompressionBombWarning)
            image = Image.open(_KeepOpen(file))
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels() from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF."),
            code="invalid_image",
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise _broken(exc) from exc
    if image.format not in ALLOWED_FORMATS:
        image.close()
        raise ValidationError(
            _("%(format)s images are not accepted. Upload a JPEG, PNG, WebP or GIF.")
            % {"format": image.format or _("This kind of")},
            code="format",
        )
    width, height = image.size
    if width * height > settings.PHOTO_MAX_PIXELS:
        image.close()
        raise _too_many_pixels(width, height)
    # A JPEG can be decoded at 1/8 of its size (see decode()): only other formats cost that much.
    if max_pixels and width * height > max_pixels and real_format(image) != "JPEG":
        image.close()
        raise ValidationError(
            _(
                "This picture is %(w)s × %(h)s pixels; for an avatar the limit is %(mp)s megapixels. "
                "Make it smaller (%(side)s × %(side)s is plenty) and upload it again."
            )
            % {"w": width, "h": height, "mp": f"{max_pixels / 1_000_000:g}", "side": 1024},
            code="too_many_pixels",
        )
    # An animation is decoded frame by frame when re-encoded: every frame counts. An MPO's other
    # pictures are never decoded.
    try:
        frames = getattr(image, "n_frames", 1) if image.format not in SAME_AS else 1
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        image.close()
        raise _broken(exc) from exc
    if frames > 1 and width * height * frames > settings.PHOTO_MAX_PIXELS:
        image.close()
        raise ValidationError(
            _(
                "This animation has %(frames)s frames of %(w)s × %(h)s pixels, more than the "
                "%(mp)s megapixels allowed in all. Upload a still picture or a shorter animation."
            )
            % {"frames": frames, "w": width, "h": height, "mp": _megapixels()},
            code="too_many_pixels",
        )
    image.seek(0)
    return image


def _broken(exc):
    return ValidationError(
        _("This image is damaged or incomplete (%(error)s). Export it again and re-upload.") % {"error": exc},
        code="broken_image",
    )


def _draft(image, *, long_side=None, short_side=None):
    """Let libjpeg decode at 1/2, 1/4 or 1/8 scale, keeping at least `long_side` pixels on the long
    side or `short_side` on the short one. Only JPEG can; other formats are decoded whole."""
    if real_format(image) != "JPEG":
        return
    width, height = image.size
    ratio = long_side / max(width, height) if long_side else short_side / min(width, height)
    if ratio < 1:
        image.draft(image.mode, (width * ratio, height * ratio))


def decode(file, *, square=None, max_pixels=None):
    """The picture decoded (a truncated file fails here) at no more than what is made of it: a
    `square` of that many pixels, else a stored original (see the module's docstring).
    The caller closes it."""
    image = open_image(file, max_pixels=max_pixels)
    try:
        if square:
            _draft(image, short_side=square)
        else:
            _draft(image, long_side=settings.PHOTO_MAX_STORED_SIDE // 2)
        image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        image.close()
        raise _broken(exc) from exc
    return image


def check_image(file, *, square=None, max_pixels=None):
    """Size, format and pixels from the header, then a decode (a truncated file fails here).

    What was decoded is kept on the file for reencode(), so the picture is decoded once.
    """
    position = file.tell() if hasattr(file, "tell") else None
    try:
        image = decode(file, square=square, max_pixels=max_pixels)
    finally:
        if position is not None:
            file.seek(position)
    if getattr(image, "is_animated", False) and image.format not in SAME_AS:
        image.close()  # animations are re-read frame by frame
    else:
        try:
            file.decoded_image = image
        except AttributeError:
            image.close()


def to_8_bit(image):
    """16-bit and 32-bit greyscale as 8-bit "L": the value scaled by 1/256, not clipped at 255."""
    if image.mode not in WIDE_GREY_MODES:
        return image
    if image.mode != "F":
        image = image.convert("I")  # "I;16" and its byte orders; point() scales "I" and "F"
    return image.point(lambda value: value / 256).convert("L")


def _fit(image, max_side):
    if max(image.size) > max_side:
        image = image.copy() if image.readonly else image
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return image


def _flatten(image, background=(255, 255, 255)):
    """RGB for JPEG: transparent parts on white, CMYK and palettes converted."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", image.size, background)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB") if image.mode != "RGB" else image


def _decoded(file, square, max_pixels):
    """What check_image() decoded for this upload (once only), else a fresh decode."""
    upload = getattr(file, "file", file) if not getattr(file, "_committed", True) else file
    image = getattr(upload, "decoded_image", None)
    if image is not None:
        upload.decoded_image = None
        return image
    return decode(file, square=square, max_pixels=max_pixels)


def reencode(file, *, square=None, image_format=None, max_pixels=None):
    """(ContentFile, extension): the picture drawn again without metadata, upright, at most
    PHOTO_MAX_STORED_SIDE pixels on its long side.

    `square` crops to the centre square of that many pixels; `image_format` forces a format
    (avatars are always JPEG), else the file keeps its real one (an MPO's is JPEG). `max_pixels`
    refuses bigger pictures from their header (avatars).
    """
    with _decoded(file, square, max_pixels) as image:
        target = image_format or real_format(image)
        animated = getattr(image, "is_animated", False) and target in ("GIF", "WEBP") and not square
        try:
            if animated:
                # Frames are copied as they are; GIF carries no EXIF, and save() writes none.
                frames = []
                for index in range(image.n_frames):
                    image.seek(index)
                    frames.append(image.copy())
                cleaned, extra = frames[0], {"save_all": True, "append_images": frames[1:]}
                extra["duration"] = image.info.get("duration", 100)
                extra["loop"] = image.info.get("loop", 0)
            else:
                cleaned, extra = to_8_bit(ImageOps.exif_transpose(image)), {}
                if square:
                    cleaned = ImageOps.fit(_flatten(cleaned), (square, square), Image.Resampling.LANCZOS)
                else:
                    cleaned = _fit(cleaned, settings.PHOTO_MAX_STORED_SIDE)
        except (OSError, SyntaxError, ValueError) as exc:
            raise _broken(exc) from exc
        icc_profile = image.info.get("icc_profile")
    if target == "JPEG":
        cleaned = _flatten(cleaned)
        extra.update(quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif target == "WEBP":
        extra.update(quality=JPEG_QUALITY)
    elif target == "PNG":
        # zlib's slowest level costs seconds on a big picture for a few %: a quick one there
        # (a 10-megapixel PNG: 0.9 s instead of 2.1 s, 12 % bigger).
        big = cleaned.width * cleaned.height > 2_000_000
        extra.update({"compress_level": 3} if big else {"optimize": True})
    if icc_profile and target != "GIF":
        extra["icc_profile"] = icc_profile  # colour, not metadata: without it colours shift
    # Only what is passed here is written: no exif=, no xmp=, no pnginfo= (text chunks).
    cleaned.info = {}
    buffer = io.BytesIO()
    cleaned.save(buffer, target, **extra)
    extension = EXTENSIONS[target]
    # Named: Django reads the new width and height from the content only when it has a name.
    return ContentFile(buffer.getvalue(), name=f"upload.{extension}"), extension


def store(field_file, *, square=None, image_format=None, max_pixels=None):
    """Re-encode a new upload and save it to storage under its field's upload_to (random) name.

    A full disk (or any storage error) becomes a ValidationError; the storage leaves no partial
    file behind (see core/storage.py and core/bucket.py).
    """
    content, extension = reencode(field_file, square=square, image_format=image_format, max_pixels=max_pixels)
    try:
        field_file.save(content.name, content, save=False)
    except OSError as exc:
        logger.error("Could not store an uploaded image: %s", exc)
        if isinstance(exc, StorageUnavailable):
            message = _(
                "The picture could not be stored: the media store did not answer or refused it. "
                "Nothing was saved: try again in a few minutes, and tell the site's administrators "
                "if it goes on."
            )
        elif exc.errno in DISK_FULL:
            message = _(
                "The server has no room for this picture right now, so it was not saved. Nothing else "
                "was lost: try again in a few minutes, and tell the site's administrators if it goes on."
            )
        else:
            message = _(
                "The picture could not be saved because of a problem on the server (%(error)s). "
                "Try again, and tell the site's administrators if it goes on."
            ) % {"error": exc.strerror or exc}
        raise ValidationError(message, code="storage") from exc


class ImageUploadField(forms.ImageField):
    """Django's ImageField, with our checks first: a bomb or a broken file gets a clear message.

    The uploaded file's name plays no part: no extension check and no length limit, since the
    picture is stored under a random name with the extension of what Pillow found.
    """

    default_validators = []

    def __init__(self, *, max_length=None, square=None, max_pixels=None, image_format=None, **kwargs):
        # The options of store() (accounts.models.AVATAR_STORE): decoded at no more than is kept.
        self.square, self.max_pixels = square, max_pixels
        super().__init__(**kwargs)

    def to_python(self, data):
        file = forms.FileField.to_python(self, data)
        if file is None:
            return None
        check_image(file, square=self.square, max_pixels=self.max_pixels)
        file.image_checked = True  # the model's validator need not decode it again
        file.seek(0)  # Django's own check reads from where the file is
        return super().to_python(data)


class StoresImagesMixin:
    """For a ModelForm: once everything is valid, re-encode and store new pictures.

    Storing happens here rather than in the view so that a full disk is a form error, shown
    with everything else typed kept, and not a server error.
    """

    image_fields = {"image": {}}  # field name: keyword arguments for store()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The field's check decodes no more than store() keeps, and refuses what store() would.
        for name, options in self.image_fields.items():
            field = self.fields.get(name)
            if isinstance(field, ImageUploadField):
                field.square, field.max_pixels = options.get("square"), options.get("max_pixels")

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        for name, options in self.image_fields.items():
            field_file = getattr(self.instance, name)
            if field_file and not field_file._committed:
                try:
                    store(field_file, **options)
                except ValidationError as error:
                    self.add_error(name, error)


def validate_image_upload(file):
    """Decide on the bytes, not the file name: size first, then format, pixels, full decode."""
    if getattr(file, "_committed", False):
        return  # already stored: it was checked on upload, and editing a caption must not reopen it
    if getattr(getattr(file, "file", file), "image_checked", False):
        return  # the form's ImageUploadField has just decoded it
    check_image(file)
