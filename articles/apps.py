from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from .renditions import photo_deleted

        post_delete.connect(photo_deleted, sender="articles.Photo", dispatch_uid="articles-photo-renditions")
