import secrets
import zlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.images import store, validate_image_upload

AVATAR_SIZE = 256
AVATAR_COLOURS = 12


def avatar_upload_to(instance, filename):
    # Random names: neither the reader's id nor their file name reaches the public URL.
    return f"avatars/{secrets.token_hex(12)}.jpg"


# How avatars are stored (core/images.py): the centre square, always a JPEG; a bigger picture than
# AVATAR_MAX_PIXELS is refused from its header, before any pixel is decoded.
AVATAR_STORE = {"square": AVATAR_SIZE, "image_format": "JPEG", "max_pixels": settings.AVATAR_MAX_PIXELS}


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(
        _("display name"),
        max_length=settings.COMMENTS_NAME_MAX_LENGTH,
        blank=True,
        help_text=_("Shown with your comments."),
    )
    avatar = models.ImageField(
        _("avatar"),
        upload_to=avatar_upload_to,
        blank=True,
        validators=[validate_image_upload],
        help_text=_("A JPEG, PNG, WebP or GIF. We crop it to a square."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reader profile")
        verbose_name_plural = _("reader profiles")

    def __str__(self):
        return display_name(self.user)

    def save(self, *args, **kwargs):
        if self.avatar and not self.avatar._committed:
            store(self.avatar, **AVATAR_STORE)  # ProfileForm has done it already; this covers code
        super().save(*args, **kwargs)

    @property
    def avatar_url(self):
        return self.avatar.url if self.avatar else ""


def display_name(user):
    """What readers see for an account: never its email address or its login name."""
    # A missing profile raises RelatedObjectDoesNotExist, an AttributeError: getattr's default.
    profile = getattr(user, "profile", None) if user is not None else None
    name = profile.display_name if profile is not None else ""
    if not name and user is not None:
        name = user.get_full_name()
    return name or _("Reader %(number)s") % {"number": user.pk if user is not None else "?"}


def initials(name):
    words = [word for word in str(name).split() if any(char.isalnum() for char in word)]
    letters = [next(char for char in word if char.isalnum()) for word in words[:2]]
    return "".join(letters).upper() or "?"


def colour_index(name):
    """A stable colour for a name: the same reader gets the same circle on every page."""
    return zlib.crc32(str(name).strip().lower().encode()) % AVATAR_COLOURS
