from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from .images import apply_pixel_limit, bomb_warnings_are_errors

        apply_pixel_limit()
        bomb_warnings_are_errors()
