from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import ProfileForm
from .models import Profile


@login_required
def profile(request):
    profile, _created = Profile.objects.get_or_create(user=request.user)
    old_avatar = profile.avatar.name
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=profile)
        if form.is_valid():
            form.save()
            if old_avatar and old_avatar != profile.avatar.name:
                profile.avatar.storage.delete(old_avatar)
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
    else:
        form = ProfileForm(instance=profile)
    recent = request.user.comments.select_related("article__section").order_by("-created_at")[:10]
    context = {
        "form": form,
        "profile": profile,
        "recent": recent,
        "social_enabled": bool(settings.SOCIALACCOUNT_PROVIDERS),
    }
    return render(request, "accounts/profile.html", context)
