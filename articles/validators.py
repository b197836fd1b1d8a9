from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_image_upload(file):
    """Decide on the bytes, not the file name: size first, then format, pixels, full decode."""
    if getattr(file, "_committed", False):
        return  # already stored: it was checked on upload, and editing a caption must not reopen it
    size = getattr(file, "size", None)
    if size is not None and size > settings.PHOTO_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("This file is %(size)s; the limit is %(limit)s. Export a smaller JPEG and try again.")
            % {
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.PHOTO_MAX_UPLOAD_BYTES),
            },
            code="too_big",
        )
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            if image_format not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("%(format)s images are not accepted. Upload a JPEG, PNG, WebP or GIF.")
                    % {"format": image_format or _("This kind of")},
                    code="format",
                )
            if width * height > settings.PHOTO_MAX_PIXELS:
                raise ValidationError(
                    _("This image is %(w)s × %(h)s pixels, more than the %(mp)s megapixels allowed.")
                    % {"w": width, "h": height, "mp": f"{settings.PHOTO_MAX_PIXELS / 1_000_000:g}"},
                    code="too_many_pixels",
                )
            image.load()  # a truncated file fails here, not later on the reader's page
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        if isinstance(exc, Image.DecompressionBombError):
            message = _("This image has too many pixels to be processed safely.")
        else:
            message = _("This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF.")
        raise ValidationError(message, code="invalid_image") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This image is damaged or incomplete (%(error)s). Export it again and re-upload.")
            % {"error": exc},
            code="broken_image",
        ) from exc
    finally:
        if position is not None:
            file.seek(position)
