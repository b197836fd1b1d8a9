"""One sign-in for readers and staff: allauth's, with the login throttle and, for staff, two factors.

The admin's own login form would skip allauth's second step, so the admin sends everyone to
allauth's page instead (protect_admin_login). Staff without an authenticator are sent to enrol
before any admin page when REQUIRE_STAFF_MFA is on (require_staff_mfa).
"""

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.decorators import secure_admin_login
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.utils import filter_users_by_email, filter_users_by_username
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.security import ThrottledLoginMixin

# What counts as a second factor: recovery codes alone are only a way back in.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]


class LoginForm(ThrottledLoginMixin, AllauthLoginForm):
    throttle_field = "login"

    def signed_in_user(self):
        return self.user

    def throttle_username(self):
        # One count per account, whichever of its names is typed: its username or any address.
        login = (super().throttle_username() or "").strip()
        if not login or "\x00" in login:
            return login
        users = filter_users_by_email(login) if "@" in login else filter_users_by_username(login)
        accounts = {user.pk for user in users}
        return f"account:{accounts.pop()}" if len(accounts) == 1 else login

    def clean(self):
        cleaned = super().clean()
        if self.user is not None and self.user.is_staff:
            # Staff accounts are made by an administrator, often with no address to confirm: they
            # sign in by username too, and prove themselves with the second factor instead.
            self._login.email_verification = EmailVerificationMethod.NONE
        return cleaned


def protect_admin_login(site):
    """The admin's login page sends to allauth's (?next= kept): its throttle and its second factor."""
    site.login = secure_admin_login(site.login)


class RequireStaffMFA:
    """With REQUIRE_STAFF_MFA, a staff user without an authenticator enrols before any admin page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            settings.REQUIRE_STAFF_MFA
            and match.app_name == "admin"
            and match.url_name != "logout"
            and request.user.is_authenticated
            and request.user.is_staff
            and not is_mfa_enabled(request.user, SECOND_FACTORS)
        ):
            messages.info(
                request,
                _("Staff accounts need a second factor. Set up an authenticator app to reach the desk."),
                fail_silently=True,
            )
            return redirect("mfa_activate_totp")
        return None
