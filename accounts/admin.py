from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.images import ImageUploadField, StoresImagesMixin

from .models import AVATAR_STORE, Profile


class ProfileAdminForm(StoresImagesMixin, forms.ModelForm):
    """Avatars uploaded here are re-encoded and stored like the reader's own (articles/images.py)."""

    image_fields = {"avatar": AVATAR_STORE}

    class Meta:
        model = Profile
        fields = ["user", "display_name", "avatar"]
        field_classes = {"avatar": ImageUploadField}


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    form = ProfileAdminForm
    list_display = ["__str__", "user", "has_avatar", "updated_at"]
    search_fields = ["display_name", "user__username", "user__email"]
    autocomplete_fields = ["user"]

    @admin.display(boolean=True, description=_("avatar"))
    def has_avatar(self, obj):
        return bool(obj.avatar)
