from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every other app builds on: HTTP caching and CSRF for cached pages, the client's
    address, caches, storage, image checks, text rendering, error pages. Imports no project code."""

    name = "core"
    verbose_name = _("Site")

    def ready(self):
        from .images import apply_pixel_limit, bomb_warnings_are_errors

        apply_pixel_limit()
        bomb_warnings_are_errors()
