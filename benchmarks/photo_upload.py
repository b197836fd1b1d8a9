"""Request-time cost of accepting a big camera photo, measured the way the admin does it.

    python -m benchmarks.photo_upload

The upload form's field decodes and checks the file and core.images.store() re-encodes it: that
is the request ("request" below). The renditions are made afterwards by the worker
(articles/tasks.py, `manage.py db_worker`), off the request; they are timed too ("worker"). Each step
is timed with a fresh 40-megapixel JPEG (noisy, so it weighs what a camera's does) and PNG, and
media goes to a temporary folder.
"""

import io
import os
import tempfile
import time

import django


def camera_photo(image_format, width=7728, height=5152):
    from PIL import Image, ImageFilter

    # Noise, softened a little: a camera JPEG of this size weighs ~10 MB at quality 90.
    # A PNG gets broad blotches only (a graphic, say): with finer detail it is over the upload limit.
    scale = 4 if image_format == "JPEG" else 64
    noise = Image.effect_noise((width // scale, height // scale), 60).convert("RGB")
    image = noise.resize((width, height), Image.Resampling.BILINEAR).filter(ImageFilter.GaussianBlur(0.6))
    if image_format == "JPEG":  # sensor noise; a PNG with it would be far over the upload limit
        grain = Image.effect_noise((width, height), 6)
        image = Image.merge("RGB", (image.getchannel(0), grain, image.getchannel(2)))
    buffer = io.BytesIO()
    image.save(buffer, image_format, **({"quality": 85} if image_format == "JPEG" else {}))
    return buffer.getvalue()


def measure(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db.models.fields.files import ImageFieldFile

    from articles import renditions
    from articles.models import Photo
    from core.images import ImageUploadField, store

    upload = SimpleUploadedFile(name, data)
    times = {}
    start = time.perf_counter()
    ImageUploadField().clean(upload)
    times["check"] = time.perf_counter() - start
    photo = Photo()
    field_file = ImageFieldFile(photo, Photo._meta.get_field("image"), None)
    field_file.file, field_file._committed = upload, False
    field_file.name = name
    mark = time.perf_counter()
    store(field_file)
    times["store"] = time.perf_counter() - mark
    times["request"] = time.perf_counter() - start
    field_file._file = None  # sizes from the stored picture, not the upload
    vars(field_file).pop("_dimensions_cache", None)
    mark = time.perf_counter()
    made = renditions.make(field_file, field_file.width, field_file.height)
    times["worker"] = time.perf_counter() - mark
    return times, field_file, made


def renditions_made(made):
    from articles import renditions

    return renditions.names(made)


def admin_post(data, name):
    """Seconds for the whole admin request that adds the photo (Django's test client, the database
    backend queueing the renditions), and whether it answered with the redirect of a saved form."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    user_model = get_user_model()
    user = user_model.objects.filter(username="bench-photos").first() or user_model.objects.create_superuser(
        "bench-photos", "bench@example.com", None
    )
    client = Client()
    client.force_login(user)
    fields = {"image": SimpleUploadedFile(name, data), "alt_text": "A camera photo", "caption": ""}
    start = time.perf_counter()
    response = client.post("/admin/articles/photo/add/", fields)
    return time.perf_counter() - start, response.status_code == 302


def main():
    media = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ["MEDIA_ROOT"] = media
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{media}/db.sqlite3")
    os.environ.setdefault("TASKS_BACKEND", "database")  # renditions queued for a worker, as deployed
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for image_format, name in (("JPEG", "camera.jpg"), ("PNG", "camera.png")):
        data = camera_photo(image_format)
        times, field_file, made = measure(data, name)
        steps = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in times.items())
        seconds, saved = admin_post(data, name)
        print(
            f"{image_format} 7728×5152, {len(data) / 1e6:.1f} MB: {steps}; stored "
            f"{field_file.width}×{field_file.height}, {len(renditions_made(made))} renditions; "
            f"the admin's whole request {seconds:.2f} s ({'saved' if saved else 'NOT saved'})"
        )


if __name__ == "__main__":
    main()
