from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied

from core.http import client_ip

from .models import Profile

# The header shows who is signed in; these messages would only pile up under the next story.
QUIET_MESSAGES = {
    "account/messages/logged_in.txt",
    "account/messages/logged_out.txt",
}


class AccountAdapter(DefaultAccountAdapter):
    def add_message(self, request, level, message_template=None, message_context=None, *args, **kwargs):
        if message_template in QUIET_MESSAGES:
            return
        super().add_message(request, level, message_template, message_context, *args, **kwargs)

    def send_mail(self, template_prefix, email, context):
        # Without django.contrib.sites, allauth names the site by the request's host ("127.0.0.1:8000").
        request = allauth_context.request
        host = request.get_host() if request is not None else ""
        context = {"current_site": SimpleNamespace(name=settings.SITE_NAME, domain=host)} | context
        user = context.get("user")
        if user is None or not user.is_staff:
            context.pop("username", None)  # "your username is …": a reader's is internal
        super().send_mail(template_prefix, email, context)

    def get_client_ip(self, request):
        # allauth's rate limits and sessions see the address everything else sees (TRUSTED_PROXY_COUNT);
        # its own reading of X-Forwarded-For answers 500 to a header shorter than the proxy count.
        if ip := client_ip(request):
            return ip
        raise PermissionDenied("Unable to determine client IP address")


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        profile, _created = Profile.objects.get_or_create(user=user)
        if not profile.display_name:
            profile.display_name = user.get_full_name()[:50]
            profile.save(update_fields=["display_name", "updated_at"])
        return user
