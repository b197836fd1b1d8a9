from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView
from django.views.static import serve as static_serve
from taggit.models import Tag

from .models import Article, ArticleURL, Author, Section


class PublishedListMixin:
    """Public stories, teaser-ready, paginated without ever answering an error for ?page=."""

    paginate_by = settings.ARTICLES_PER_PAGE

    def get_queryset(self):
        return Article.objects.published().for_lists()

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()


class HomeView(TemplateView):
    template_name = "articles/home.html"
    latest_count = 10
    per_section = 4

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = list(Article.objects.published().for_lists()[: self.latest_count + 1])
        context["top_story"] = latest[0] if latest else None
        context["latest"] = latest[1:]
        # One query for every section block: number the stories within each section.
        ranked = (
            Article.objects.published()
            .select_related("section", "main_photo")
            .annotate(
                rank=Window(RowNumber(), partition_by=F("section_id"), order_by=F("published_at").desc())
            )
            .filter(rank__lte=self.per_section)
            .order_by("section__position", "section__name", "rank")
        )
        blocks = {}
        for article in ranked:
            blocks.setdefault(article.section, []).append(article)
        context["section_blocks"] = list(blocks.items())
        return context


class SectionView(PublishedListMixin, ListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagView(PublishedListMixin, ListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(PublishedListMixin, ListView):
    template_name = "articles/author.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author.objects.select_related("photo"), slug=self.kwargs["slug"])
        return super().get_queryset().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class ArchiveView(PublishedListMixin, ListView):
    template_name = "articles/archive.html"

    def get_queryset(self):
        year = self.kwargs["year"]
        month = self.kwargs.get("month")
        day = self.kwargs.get("day")
        try:
            self.period = timezone.datetime(year, month or 1, day or 1).date()
        except ValueError as exc:
            raise Http404("No such date") from exc
        self.granularity = "day" if day else "month" if month else "year"
        filters = {"published_at__year": year}
        if month:
            filters["published_at__month"] = month
        if day:
            filters["published_at__day"] = day
        return super().get_queryset().filter(**filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(period=self.period, granularity=self.granularity, **kwargs)


class ArticleDetailView(DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        queryset = Article.objects.select_related("section", "main_photo").prefetch_related("authors", "tags")
        if self.request.user.is_staff:
            return queryset  # editors preview drafts and scheduled stories
        return queryset.published()

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            # An old URL of a story whose headline, section or date changed.
            old = ArticleURL.objects.filter(path=request.path).select_related("article__section").first()
            if old and (old.article.is_published or request.user.is_staff):
                return redirect(old.article, permanent=True)
            raise
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            return redirect(canonical, permanent=True)
        context = self.get_context_data(object=self.object)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = not self.object.is_published
        context["short_url"] = self.object.get_short_url(self.request)
        return context


def short_url(request, code):
    article = get_object_or_404(Article.objects.published().select_related("section"), short_code=code)
    return redirect(article, permanent=True)


def serve_media(request, path):
    if not settings.SERVE_MEDIA:
        raise Http404
    return static_serve(request, path, document_root=settings.MEDIA_ROOT)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render({"site_name": settings.SITE_NAME}))
