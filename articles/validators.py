from .images import check_image


def validate_image_upload(file):
    """Decide on the bytes, not the file name: size first, then format, pixels, full decode."""
    if getattr(file, "_committed", False):
        return  # already stored: it was checked on upload, and editing a caption must not reopen it
    if getattr(getattr(file, "file", file), "image_checked", False):
        return  # the form's ImageUploadField has just decoded it
    check_image(file)
