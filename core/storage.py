"""Media storage on this machine's disk that never leaves a half-written file behind.

Django's FileSystemStorage writes straight into the final name, so a full disk (ENOSPC) in the
middle of a write leaves a truncated picture that a story could point at. Here the bytes go to
a hidden temporary file in the same folder first; only a complete file is moved (renamed, which
is atomic) onto the name, which was reserved beforehand so two uploads never share it. On any
error both are removed and the error goes up to the caller (articles/images.py turns it into a
form error).
"""

import contextlib
import os
import tempfile

from django.core.files.storage import FileSystemStorage


class StorageUnavailable(OSError):
    """The media store (a bucket, core/bucket.py) could not be reached or refused the request."""


class MediaStorage(FileSystemStorage):
    def _open_temporary(self, directory):
        """(path, binary file object) of a new temporary file in `directory`; tests replace it."""
        descriptor, path = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".part")
        return path, os.fdopen(descriptor, "wb")

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        if self.directory_permissions_mode is not None:
            os.chmod(directory, self.directory_permissions_mode)
        # Reserve the name (O_EXCL): an empty placeholder, ours alone, until the real file replaces it.
        while True:
            try:
                os.close(os.open(full_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL))
                break
            except FileExistsError:
                name = self.get_available_name(name)
                full_path = self.path(name)
        temporary = None
        try:
            temporary, file = self._open_temporary(directory)
            with file:
                for chunk in content.chunks():
                    file.write(chunk)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, self.file_permissions_mode or 0o644)
            os.replace(temporary, full_path)
            temporary = None
        except BaseException:
            for path in (temporary, full_path):
                if path:
                    with contextlib.suppress(FileNotFoundError):
                        os.remove(path)
            raise
        return str(name).replace("\\", "/")
