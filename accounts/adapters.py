from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
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
