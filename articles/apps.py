from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from .models import Article
        from .renditions import photo_deleted
        from .versions import keep_relations

        post_delete.connect(photo_deleted, sender="articles.Photo", dispatch_uid="articles-photo-renditions")
        pre_create_historical_record.connect(
            keep_relations, sender=Article.history.model, dispatch_uid="articles-version-relations"
        )
