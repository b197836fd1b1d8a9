from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from .models import Article, Author, Photo
        from .renditions import photo_deleted
        from .search import extra
        from .versions import keep_relations

        post_delete.connect(photo_deleted, sender="articles.Photo", dispatch_uid="articles-photo-renditions")
        pre_create_historical_record.connect(
            keep_relations, sender=Article.history.model, dispatch_uid="articles-version-relations"
        )
        # Dateline place, caption and author names, searched with the story (search/extra.py).
        post_save.connect(extra.story_saved, sender=Article, dispatch_uid="articles-search-extra-story")
        post_save.connect(extra.photo_saved, sender=Photo, dispatch_uid="articles-search-extra-photo")
        post_save.connect(extra.author_saved, sender=Author, dispatch_uid="articles-search-extra-author")
        authors = Article.authors.through
        m2m_changed.connect(extra.authors_about_to_clear, sender=authors, dispatch_uid="articles-search-pre")
        m2m_changed.connect(extra.authors_changed, sender=authors, dispatch_uid="articles-search-authors")
        for model in (Photo, Author):
            uid = f"articles-search-extra-{model.__name__}"
            pre_delete.connect(extra.remember_stories, sender=model, dispatch_uid=f"{uid}-pre")
            post_delete.connect(extra.forget_deleted, sender=model, dispatch_uid=f"{uid}-post")
