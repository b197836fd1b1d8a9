"""Media storage in an S3-compatible bucket (MEDIA_STORAGE=s3), failing the way a disk fails.

django-storages lets boto3's own exceptions through: a store that is down or refuses the key
would be a 500 wherever a picture is saved, checked or deleted. Here they become
StorageUnavailable, an OSError, which the callers already handle like a disk error (core/images.py
refuses the upload with a form error, the renditions and the feed go on without the file).
An object is written whole by one PUT or not at all, so a failed upload leaves nothing behind.
"""

import functools

from boto3.exceptions import Boto3Error
from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage

from core.storage import StorageUnavailable

STORE_ERRORS = (BotoCoreError, ClientError, Boto3Error)


def _translated(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except STORE_ERRORS as exc:
            raise StorageUnavailable(None, f"the media store failed: {exc}") from exc

    return wrapper


class BucketStorage(S3Storage):
    # Every method that talks to the store; url() builds its answer here, without the network.
    _open = _translated(S3Storage._open)
    _save = _translated(S3Storage._save)
    delete = _translated(S3Storage.delete)
    exists = _translated(S3Storage.exists)
    listdir = _translated(S3Storage.listdir)
    size = _translated(S3Storage.size)
    get_modified_time = _translated(S3Storage.get_modified_time)
