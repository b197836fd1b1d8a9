"""Background tasks of the articles app (django.tasks; the backend is settings.TASKS)."""

from django.tasks import task

from . import renditions
from .models import Photo


@task
def make_photo_renditions(photo_id, source, focal):
    """Make the renditions of photo `photo_id`'s picture `source` and focal point `focal` (as they
    were when the task was enqueued).

    A worker runs it (`manage.py db_worker`). If the photo was deleted, or given another picture or
    focal point meanwhile, this task has nothing to do: the change enqueued its own.
    """
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None or photo.image.name != source or photo.focal != focal or photo.renditions_ready():
        return False
    photo.make_renditions()
    # Written only if the picture and the point are still those they were made for.
    current = Photo.objects.filter(pk=photo_id, image=source, focal_x=focal[0], focal_y=focal[1])
    if not current.update(renditions=photo.renditions):
        now = Photo.objects.filter(pk=photo_id).values_list("renditions", flat=True).first() or {}
        # The same picture's whole-frame files have the same names whatever the point: kept.
        same_picture = {key: photo.renditions.get(key, []) for key in renditions.FORMATS}
        keep = {**now, **same_picture} if now.get("source") == source else now
        renditions.remove_files(photo.renditions, keep=keep)
        return False
    return True
