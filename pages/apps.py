from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The site's own pages (About, Contact, Privacy…), written by editors in the admin.

    Shaped like django.contrib.flatpages (a model, its admin, a fallback that serves a page where
    nothing else answered), without the sites framework it needs: installing that makes the feeds,
    the sitemaps and django-allauth use its one stored domain instead of the request's host.
    """

    name = "pages"
    verbose_name = _("Pages")
