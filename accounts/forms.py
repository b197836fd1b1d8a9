from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.images import ImageUploadField, StoresImagesMixin
from core.markup import INVISIBLE_NAME, is_blank

from .models import AVATAR_STORE, Profile


def clean_display_name(value):
    """Runs of spaces made one; a name of only spaces, or of characters that show nothing, is refused."""
    name = " ".join(value.split())
    if not name:
        raise forms.ValidationError(_("Enter the name to show with your comments."))
    if is_blank(name):
        raise forms.ValidationError(INVISIBLE_NAME, code="invisible")
    return name


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form: the name shown with your comments."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=settings.COMMENTS_NAME_MAX_LENGTH,
        help_text=_("Shown with your comments. Your email address never is."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])

    def signup(self, request, user):
        profile, _created = Profile.objects.get_or_create(user=user)
        profile.display_name = self.cleaned_data["display_name"]
        profile.save()


class ProfileForm(StoresImagesMixin, forms.ModelForm):
    image_fields = {"avatar": AVATAR_STORE}

    class Meta:
        model = Profile
        fields = ["display_name", "avatar"]
        field_classes = {"avatar": ImageUploadField}
        widgets = {
            "avatar": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})
        }

    def clean_display_name(self):
        return clean_display_name(self.cleaned_data["display_name"])
