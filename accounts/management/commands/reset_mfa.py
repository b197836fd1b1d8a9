from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Remove a user's second factors (authenticator app, security keys, recovery codes) after a "
        "lost device. A staff user then enrols again at the next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        count, _ = Authenticator.objects.filter(user=user).delete()
        self.stdout.write(f"Removed {count} authenticator(s) of {username}.")
