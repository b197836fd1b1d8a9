import calendar
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView

from core import ratelimit
from core.http import client_ip

from . import mostread
from .context_processors import sections
from .models import Article, ArticleURL, Author, Section, tags_in_use
from .search import clean_query, is_capped, search, snippet
from .search.filters import SearchFilters


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
        top, more, latest = Article.objects.published().front_page(self.latest_count)
        context.update(top_story=top, more_top_stories=more, latest=latest)
        context["section_blocks"] = Article.objects.published().newest_by_section(self.per_section)
        context["most_commented"] = Article.objects.published().most_commented()
        context["most_read"] = Article.objects.published().most_read(mostread.ranking())
        return context


class SectionView(PublishedListMixin, ListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        # base.html marks this section in the navigation.
        return super().get_context_data(
            section=self.section, current_section_slug=self.section.slug, **kwargs
        )


class TagView(PublishedListMixin, ListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(tags_in_use(Article.objects.published()), slug=self.kwargs["slug"])
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


class ArchiveIndexView(TemplateView):
    """Every year with stories, newest first, with its number of stories."""

    template_name = "articles/archive_index.html"

    def get_context_data(self, **kwargs):
        years = Article.objects.published().counts_by("year")
        return super().get_context_data(years=sorted(years.items(), reverse=True), **kwargs)


class ArchiveView(PublishedListMixin, ListView):
    """A year, month or day of stories, under a calendar of its months or days with their counts.

    A period without a public story is not found: an empty archive page is nothing to link to.
    """

    template_name = "articles/archive.html"

    def get_queryset(self):
        year, month, day = self.kwargs["year"], self.kwargs.get("month"), self.kwargs.get("day")
        self.granularity = "year" if month is None else "month" if day is None else "day"
        try:
            self.period = date(year, 1 if month is None else month, 1 if day is None else day)
            month_start = self.period.replace(day=1)
            month_end = (month_start + timedelta(days=31)).replace(day=1)
            year_end = self.period.replace(year=year + 1, month=1, day=1)
        except (ValueError, OverflowError) as exc:
            raise Http404("No such date") from exc
        stories = super().get_queryset()
        if self.granularity == "year":
            end = year_end
            counts = _counts(stories, "month", self.period, end)
            self.calendar = {
                "months": [
                    (self.period.replace(month=n), counts.get(self.period.replace(month=n), 0))
                    for n in range(1, 13)
                ]
            }
        else:
            end = month_end if self.granularity == "month" else self.period + timedelta(days=1)
            counts = _counts(stories, "day", month_start, month_end)
            self.calendar = {
                "month": month_start,
                "weeks": _weeks(month_start, counts),
                "weekdays": _weekdays(),
            }
        if not (counts.get(self.period) if self.granularity == "day" else counts):
            raise Http404("No stories on that date")
        # A range in the site's time zone: a story filed at 01:30 Moscow time is on that day.
        return stories.filter(published_at__gte=_start_of(self.period), published_at__lt=_start_of(end))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            period=self.period, granularity=self.granularity, calendar=self.calendar, **kwargs
        )


def _counts(stories, period, start, end):
    return stories.filter(published_at__gte=_start_of(start), published_at__lt=_start_of(end)).counts_by(
        period
    )


def _weeks(month, counts):
    """The month's weeks as rows of (day, number of stories), None for the days of other months."""
    # FIRST_DAY_OF_WEEK counts from Sunday (0), Python's calendar from Monday (0).
    weeks = calendar.Calendar((get_format("FIRST_DAY_OF_WEEK") - 1) % 7).monthdatescalendar(
        month.year, month.month
    )
    return [
        [(day, counts.get(day, 0)) if day.month == month.month else None for day in week] for week in weeks
    ]


def _weekdays():
    first = get_format("FIRST_DAY_OF_WEEK")
    return [(WEEKDAYS[(first + n - 1) % 7], WEEKDAYS_ABBR[(first + n - 1) % 7]) for n in range(7)]


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def previewable(user):
    """The unpublished stories `user` may open on the site, as a filter: None when none at all.

    Not every staff account: comment moderators are staff but must not read embargoed drafts.
    Editors (who may publish) preview every story; reporters only those they created or are
    bylined on, as in the admin (ArticleAdmin.get_queryset).
    """
    if not (user.is_staff and user.has_perm("articles.view_article")):
        return None
    if user.has_perm("articles.publish_article"):
        return Q()
    bylined = Article.authors.through.objects.filter(author__user=user).values("article_id")
    return Q(created_by=user) | Q(pk__in=bylined)


def can_preview(user, article):
    """Whether `user` may see `article` on the site: public stories everyone, others see above."""
    if article.is_published:
        return True
    rule = previewable(user)
    return rule is not None and Article.objects.filter(rule, pk=article.pk).exists()


def find_moved_article(path, slug):
    """The story that had this URL: the exact old path, else any old path with this slug.

    The slug alone also catches URLs that were never saved, e.g. after a section was renamed.
    Slugs in old URLs are never given to another story, so the match is that story's.
    """
    old_urls = list(
        ArticleURL.objects.filter(path__endswith=f"/{slug}/")
        .select_related("article__section")
        .order_by("-pk")
    )
    exact = [old for old in old_urls if old.path == path]
    return (exact or old_urls)[0].article if old_urls else None


def render_story(request, article, *, status=200, **context):
    """The story page of `article` (loaded with Article.objects.for_page()), with `context` added.

    The one way to draw a story page: the story view uses it, and so does the comments app to show
    the page again with a refused comment and its message.
    """
    context = {
        "article": article,
        "is_preview": not article.is_published,
        "current_section_slug": article.section.slug,
        "short_url": article.get_short_url(request),
        **context,
    }
    context["related"], context["most_read"] = Article.objects.published().related_and_most_read(
        article, mostread.ranking()
    )
    return TemplateResponse(request, "articles/article_detail.html", context, status=status)


class ArticleDetailView(DetailView):
    def get_queryset(self):
        queryset = Article.objects.for_page()
        rule = previewable(self.request.user)
        if rule is None:
            return queryset.published()
        # The newsroom previews drafts and scheduled stories: editors all, reporters their own.
        return queryset.published() | queryset.filter(rule)

    def get(self, request, *args, **kwargs):
        try:
            article = self.get_object()
        except Http404:
            # An old URL of a story whose headline, section or date changed.
            moved = find_moved_article(request.path, kwargs["slug"])
            if moved and can_preview(request.user, moved):
                return redirect(moved, permanent=True)
            raise
        canonical = article.get_absolute_url()
        if request.path != canonical:
            return redirect(canonical, permanent=True)
        return render_story(request, article)


class SearchView(PublishedListMixin, ListView):
    """Full-text search (PostgreSQL's, else SQLite's FTS5), narrowed by section and dates; any
    query answers a normal page, a bad filter a 400 saying why."""

    template_name = "articles/search.html"

    def get(self, request, *args, **kwargs):
        # The sections the navigation reads too: no query of their own.
        self.filters = SearchFilters(request.GET, sections(request))
        response = super().get(request, *args, **kwargs)
        if not self.filters.is_valid():
            response.status_code = 400
        return response

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q"))
        if not self.query or not self.filters.is_valid():
            return Article.objects.none()
        # Not for_lists(): the snippet may be cut from the story's text (articles/search/).
        stories = self.filters.narrow(Article.objects.published().select_related("section", "main_photo"))
        return search(stories, self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, filters=self.filters, **kwargs)
        paginator = context["paginator"]
        context["capped"] = paginator is not None and is_capped(paginator.count)
        for article in context["object_list"]:
            article.snippet = snippet(article, self.query)
        return context


STORY_ID_MAX_DIGITS = 18  # a bigint


# Exempt from CSRF: navigator.sendBeacon cannot send a token. Nothing here acts for anyone: no
# cookie is read or set, no session or account is involved; a forged beacon can only add a view,
# which is what the bot, origin and flood checks below limit.
@csrf_exempt
@require_POST
def view_beacon(request):
    """One view of a story, from the story page's beacon (articles/mostread.py).

    204 when counted and when ignored (a bot, another site's page, a story that is not public: a
    draft's id is not told apart from a missing one); 400 for what is no story id; 429 past
    MOST_READ_RATE_LIMIT for the address, not counted.
    """
    if mostread.is_bot(request):
        return HttpResponse(status=204)
    story_id = request.POST.get("id", "")
    if not (story_id.isascii() and story_id.isdigit() and len(story_id) <= STORY_ID_MAX_DIGITS):
        return HttpResponseBadRequest(_("Not a story id."), content_type="text/plain; charset=utf-8")
    wait = ratelimit.hit(f"mostread:{client_ip(request)}", settings.MOST_READ_RATE_LIMIT)
    if wait:
        response = HttpResponse(
            _("Too many views from your address; try again later."),
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(wait)
        return response
    if Article.objects.published().filter(pk=int(story_id)).exists():
        mostread.count(int(story_id))
    return HttpResponse(status=204)


SHORT_CODE_MAX_LENGTH = Article._meta.get_field("short_code").max_length


def short_url(request, code):
    # Only letters and digits can be a code; anything else (a NUL byte breaks PostgreSQL) is not found.
    if not (code.isascii() and code.isalnum() and len(code) <= SHORT_CODE_MAX_LENGTH):
        raise Http404("No such short link")
    article = get_object_or_404(Article.objects.published().select_related("section"), short_code=code)
    return redirect(article, permanent=True)
