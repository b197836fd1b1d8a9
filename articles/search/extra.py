"""Article.search_extra: the words readers search for that live beside the story's text.

The dateline place, the main photo's caption and the authors' names, copied into one column of
the story so that both searches index them with the story (PostgreSQL's stored document at weight
D, a column of SQLite's FTS5 index). Kept by one UPDATE computed in SQL, whenever one of them may
have changed: a story saved, its authors changed, a photo or an author saved or deleted. An UPDATE,
not a save: no new version of the story, no "modified" time.
"""

from django.db import models
from django.db.models.functions import Cast, Coalesce, Concat


def extra_text():
    """search_extra of each story, as an expression of its row."""
    from articles.models import Article, Photo

    caption = Photo.objects.filter(pk=models.OuterRef("main_photo_id")).values("caption")[:1]
    names = (
        Article.authors.through.objects.filter(article=models.OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(names=models.StringAgg("author__name", models.Value(" ")))
        .values("names")
    )
    return Concat(
        Cast("dateline_place", models.TextField()),
        models.Value(" ", output_field=models.TextField()),
        Coalesce(models.Subquery(caption), models.Value(""), output_field=models.TextField()),
        models.Value(" ", output_field=models.TextField()),
        Coalesce(models.Subquery(names), models.Value(""), output_field=models.TextField()),
        output_field=models.TextField(),
    )


def refresh(stories):
    """Write search_extra again for the stories of the queryset `stories`; one query."""
    stories.update(search_extra=extra_text())


def story_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh(sender.objects.filter(pk=instance.pk))


def authors_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    from articles.models import Article

    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:  # story.authors.add(...)
        refresh(Article.objects.filter(pk=instance.pk))
    elif action == "post_clear":  # author.articles.clear(): the stories are unknown by then
        refresh(Article.objects.filter(pk__in=instance._search_stories))
    else:
        refresh(Article.objects.filter(pk__in=pk_set))


def authors_about_to_clear(sender, instance, action, reverse, **kwargs):
    if action == "pre_clear" and reverse:
        instance._search_stories = list(instance.articles.values_list("pk", flat=True))


def photo_saved(sender, instance, raw=False, **kwargs):
    from articles.models import Article

    if not raw:
        refresh(Article.objects.filter(main_photo=instance))


def author_saved(sender, instance, raw=False, **kwargs):
    from articles.models import Article

    if not raw:
        refresh(Article.objects.filter(authors=instance))


def remember_stories(sender, instance, **kwargs):
    """Before a photo or an author is deleted: the stories that showed it, to refresh after."""
    from articles.models import Article, Photo

    stories = Article.objects.filter(**{"main_photo" if sender is Photo else "authors": instance})
    instance._search_stories = list(stories.values_list("pk", flat=True))


def forget_deleted(sender, instance, **kwargs):
    from articles.models import Article

    if getattr(instance, "_search_stories", None):
        refresh(Article.objects.filter(pk__in=instance._search_stories))
