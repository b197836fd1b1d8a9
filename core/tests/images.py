"""Real pictures for tests, drawn with Pillow, and a media storage whose disk fills up."""

import errno
import io
import struct
import zlib
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageDraw

from core.storage import MediaStorage

MOSCOW = {1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 4.0)}


def image_bytes(width=160, height=90, image_format="JPEG", *, noisy=False):
    """A real image drawn with Pillow: a coloured field with a box, or noise (big when compressed)."""
    if noisy:
        image = Image.effect_noise((width, height), 120).convert("RGB")
    else:
        image = Image.new("RGB", (width, height), (180, 40, 40))
    ImageDraw.Draw(image).rectangle(
        (width // 4, height // 4, width * 3 // 4, height * 3 // 4), fill=(240, 220, 120)
    )
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    return buffer.getvalue()


def grey_16_bit_png(width=800, height=600):
    """A 16-bit greyscale PNG ("I;16"): a left-to-right gradient from 0 to 65535."""
    image = Image.new("I;16", (width, height))
    image.putdata([x * 65535 // (width - 1) for _y in range(height) for x in range(width)])
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def mpo_bytes(width=320, height=240):
    """A multi-picture JPEG as phones and cameras save it: the photo, then a second picture."""
    first = Image.new("RGB", (width, height), (200, 30, 30))
    second = Image.new("RGB", (width // 2, height // 2), (30, 30, 200))
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


def png_header_only(width, height):
    """A PNG that claims width × height pixels and holds almost nothing: a decompression bomb's header."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def uploaded_file(content, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def phone_jpeg(width=200, height=100, orientation=6):
    """A photo as a phone saves it: EXIF with the camera, the GPS position and an orientation.

    Left half red, right half blue, so the test can see which way up it was stored.
    """
    image = Image.new("RGB", (width, height), (220, 0, 0))
    image.paste((0, 0, 220), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(MOSCOW)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


class FullDiskFile(io.FileIO):
    room = 300  # bytes written before the disk is "full"

    def write(self, data):
        left = self.room - self.tell()
        if len(data) > left:
            super().write(data[: max(0, left)])
            raise OSError(errno.ENOSPC, "No space left on device")
        return super().write(data)


class FullDiskStorage(MediaStorage):
    def _open_temporary(self, directory):
        path, file = super()._open_temporary(directory)
        file.close()
        return path, FullDiskFile(path, "wb")


def fill_the_disk(settings):
    """Uploads from now on find the disk full after a few hundred bytes."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.FullDiskStorage"}}
