"""Sitemaps: every public story, section, tag and author page; and a Google News sitemap."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from .models import Article, Author, Section, public
from .structured_data import modified_time


def latest_public_time():
    """The newest publication or update time of any public story, in one query."""
    times = Article.objects.published().aggregate(published=Max("published_at"), updated=Max("updated_at"))
    return max((time for time in times.values() if time), default=None)


class ArticleSitemap(Sitemap):
    def items(self):
        # Only what a URL and a lastmod need: this list can be 50,000 rows long.
        return (
            Article.objects.published()
            .select_related("section")
            .only("slug", "published_at", "updated_at", "created_at", "section__slug")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return modified_time(item)

    def get_latest_lastmod(self):
        return latest_public_time()


class _ListingSitemap(Sitemap):
    """Pages listing public stories, each last modified when its newest story appeared."""

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]


class SectionSitemap(_ListingSitemap):
    def items(self):
        return (
            Section.objects.annotate(latest=Max("articles__published_at", filter=public("articles__")))
            .filter(latest__isnull=False)
            .order_by("position", "name")
        )


class TagSitemap(_ListingSitemap):
    def items(self):
        # Filtering before annotating makes the Max count public stories only.
        return (
            Tag.objects.filter(public("article__"))
            .annotate(latest=Max("article__published_at"))
            .order_by("name", "pk")
        )

    def location(self, item):
        return reverse("articles:tag", args=[item.slug])


class AuthorSitemap(_ListingSitemap):
    def items(self):
        return (
            Author.objects.filter(public("articles__"))
            .annotate(latest=Max("articles__published_at"))
            .order_by("name", "pk")
        )


class NewsSitemap(Sitemap):
    """Google News: stories of the last two days, at most 1,000 (templates/sitemaps/news.xml)."""

    limit = 1000
    window = timedelta(hours=48)

    def items(self):
        return (
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - self.window)
            .select_related("section")
            .only("headline", "slug", "published_at", "updated_at", "created_at", "section__slug")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, item):
        return modified_time(item)


SITEMAPS = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
