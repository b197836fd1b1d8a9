"""Background tasks of the articles app (django.tasks; the backend is settings.TASKS)."""

from django.tasks import task

from . import renditions
from .models import Photo


@task
def make_photo_renditions(photo_id, source):
    """Make the renditions of photo `photo_id`'s picture `source` (its image name when enqueued).

    A worker runs it (`manage.py db_worker`). If the photo was deleted or given another picture
    meanwhile, this task has nothing to do: the change enqueued its own.
    """
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or photo.image.name != source or photo.renditions_ready():
        return False
    photo.make_renditions()
    # Written only if the picture is still the one they were made from; else they are thrown away.
    if not Photo.objects.filter(pk=photo_id, image=source).update(renditions=photo.renditions):
        renditions.remove_files(photo.renditions)
        return False
    return True
