"""Make the responsive renditions of photos again, here and now (no worker): for photos uploaded
before they (or their crops) existed, after WIDTHS, RATIOS or quality change
(articles/renditions.py), or when files went missing from storage."""

import time

from django.core.management.base import BaseCommand

from articles.models import Photo


class Command(BaseCommand):
    help = "Make the WebP and JPEG renditions of every photo again (or with --missing, only where missing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Only photos without renditions (or crops) of their current picture and focal point.",
        )

    def handle(self, *args, missing=False, **options):
        made = failed = 0
        started = time.monotonic()
        for photo in Photo.objects.exclude(image="").order_by("pk").iterator(chunk_size=100):
            if missing and photo.renditions_ready() and "crops" in photo.renditions:
                continue
            photo.make_renditions(fresh=True)
            # A save, not an update(): the photo's signals drop the cached pages that show it.
            photo.save(update_fields=["renditions"])
            if photo.renditions.get("jpeg"):
                made += 1
            else:
                failed += 1
                self.stderr.write(f"  could not make the renditions of photo {photo.pk} ({photo.image.name})")
        seconds = time.monotonic() - started
        self.stdout.write(f"Made the renditions of {made} photos in {seconds:.1f} s; {failed} failed.")
