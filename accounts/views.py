from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import ratelimit

from .forms import ProfileForm
from .models import Profile


@login_required
def profile(request):
    profile, _created = Profile.objects.get_or_create(user=request.user)
    old_avatar = profile.avatar.name
    status = 200
    if request.method == "POST" and ratelimit.hit(
        f"profile:user:{request.user.pk}", settings.PROFILE_RATE_LIMIT
    ):
        # Before any picture is decoded; the typed name is shown again, the upload is not read.
        form = ProfileForm(request.POST, instance=profile)
        form.add_error(
            None,
            _(
                "You have saved your profile many times in a short while, so this change was not "
                "saved. Try again in an hour; what you typed is below."
            ),
        )
        status = 429
    elif request.method == "POST":
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
    return render(request, "accounts/profile.html", context, status=status)
