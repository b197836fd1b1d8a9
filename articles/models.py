import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Coalesce, TruncDay, TruncMonth, TruncYear
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import Tag

from core.images import store, validate_image_upload
from core.links import site_url
from core.markup import render_markdown

from . import renditions as photo_renditions
from .search.fts5 import ArticleIndexEntry  # noqa: F401 - SQLite's search index, as a model
from .search.postgres import WEIGHTS as SEARCH_WEIGHTS
from .search.postgres import SearchDocument, SearchIndex, SearchVectorField

# No vowels (no accidental words) and no look-alikes (0/O, 1/l/I).
SHORT_CODE_ALPHABET = "23456789bcdfghjkmnpqrstvwxyzBCDFGHJKLMNPQRSTVWXYZ"
SHORT_CODE_LENGTH = 7


def new_short_code():
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def unique_slug(model, text, *, max_length, exclude_pk=None, fallback="story", also_taken=None):
    """A slug for `text` that no other row of `model` has: "gaza-talks", "gaza-talks-2", ...

    `also_taken(base)` may name more slugs to avoid, e.g. those of other stories' old links.
    """
    base = slugify(text, allow_unicode=False)[: max_length - 6].strip("-") or fallback
    taken = set(
        model.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    if also_taken:
        taken.update(also_taken(base))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


class Section(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("One or two sentences shown on the section page.")
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed in this order; lower first.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return site_url("articles:section", self.slug)

    def clean(self):
        # "/search/" or "/admin/" would never reach the section page: those URLs belong elsewhere.
        try:
            owner = resolve(f"/{self.slug}/").view_name if self.slug else "articles:section"
        except Resolver404:
            owner = "articles:section"
        if owner != "articles:section":
            raise ValidationError(
                {"slug": _("This address is used by another part of the site. Choose another.")}
            )


class Author(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    bio = models.TextField(_("bio"), blank=True)
    photo = models.ForeignKey(
        "Photo",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text=_("The admin account of this author, if they have one."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return site_url("articles:author", self.slug)


def photo_upload_to(instance, filename):
    # Random names: nothing about the uploader's file name reaches the public URL.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    now = timezone.now()
    return f"photos/{now:%Y/%m}/{secrets.token_hex(12)}.{ext}"


class Photo(models.Model):
    """A story photo: the stored picture, what it shows, and its renditions.

    `renditions` is a plain dict, made by a worker (articles/tasks.py, articles/renditions.py):

        {
            "source": "photos/2026/12/ab12….jpg",  # the picture they were made from
            "focal": [0.5, 0.3],                   # the focal point the crops were cut around
            "webp": [{"name": "renditions/….webp", "width": 320, "height": 213}, ...],
            "jpeg": [...],                          # the whole picture, at WIDTHS, narrowest first
            "crops": {                              # cut around the focal point, at CROP_WIDTHS
                "16:9": {"webp": [...], "jpeg": [...]},
                "4:3": {"webp": [...], "jpeg": [...]},
                "1:1": {"webp": [...], "jpeg": [...]},
            },
        }

    `name` is a path in the media storage (its URL: `default_storage.url(name)`). While a worker is
    still to make them it holds only "source" and "focal"; if they could not be made, also
    `"failed": true`; renditions made before the crops existed have no "crops" (`manage.py
    make_renditions` makes them). Without "jpeg" pages show the original.
    """

    image = models.ImageField(
        _("image"),
        upload_to=photo_upload_to,
        width_field="width",
        height_field="height",
        validators=[validate_image_upload],
        help_text=_("JPEG, PNG, WebP or GIF. Landscape, at least 1200 pixels wide, looks best."),
    )
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    caption = models.TextField(
        _("caption"), blank=True, help_text=_("What the photo shows: who, what, where, when.")
    )
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_('Shown after the caption, e.g. "© Agency Photo / Source via Agency, File".'),
    )
    alt_text = models.CharField(
        _("alt text"),
        max_length=250,
        help_text=_("Describes the image for readers who cannot see it. Required."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The point the crops are cut around, as fractions of the width (from the left) and the height
    # (from the top): a face stays in a square or a wide crop.
    focal_x = models.FloatField(
        _("focal point across"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Click the preview on what every crop must keep (a face). 0 is left, 1 right."),
    )
    focal_y = models.FloatField(
        _("focal point down"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0 is the top edge, 1 the bottom."),
    )
    # See the class docstring; made by a worker, never at render.
    renditions = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="photo_focal_point_inside",
                violation_error_message=_("The focal point must be inside the picture: 0 to 1 both ways."),
            ),
        ]

    def __str__(self):
        text = self.caption or self.alt_text
        return text[:80] + ("…" if len(text) > 80 else "")

    def save(self, *args, **kwargs):
        # Forms have stored the re-encoded picture already (articles/images.py); this covers code.
        if self.image and not self.image._committed:
            store(self.image)
        # A new picture (a first upload or a replacement), or a new focal point: the renditions are
        # made by a worker, off the request. Until then pages show the original for a new picture,
        # and the crops around the old point for a new point.
        new_picture = self.image.name != self.renditions.get("source")
        wanted = bool(self.image) and (new_picture or self.renditions.get("focal") != self.focal)
        if new_picture:
            photo_renditions.remove_files_on_commit(self.renditions)
            self.renditions = {"source": self.image.name, "focal": self.focal} if self.image else {}
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "renditions"}
        super().save(*args, **kwargs)
        if wanted:
            self.enqueue_renditions()

    @property
    def focal(self):
        return [float(self.focal_x), float(self.focal_y)]

    def enqueue_renditions(self):
        """Have a worker make the renditions (articles/tasks.py).

        Enqueued in the save's own transaction: with the database backend the task's row commits, or
        rolls back, with the photo's. The immediate backend (tests, TASKS_BACKEND=immediate) has made
        them by the time enqueue() returns; this instance then shows them too.
        """
        from .tasks import make_photo_renditions  # tasks.py imports this module

        result = make_photo_renditions.enqueue(self.pk, self.image.name, self.focal)
        if result.is_finished:
            self.refresh_from_db(fields=["renditions"])

    def renditions_ready(self):
        """Whether the renditions of the current picture and focal point are made."""
        made = self.renditions
        same = made.get("source") == self.image.name and made.get("focal") == self.focal
        return same and bool(made.get("jpeg"))

    def renditions_pending(self):
        """Whether a worker is still to make them: a failed attempt is marked, see renditions.make()."""
        return bool(self.image) and not self.renditions_ready() and not self.renditions.get("failed")

    def make_renditions(self, *, fresh=False):
        """Make the renditions of the current picture, here and now (the worker's task and
        `manage.py make_renditions`); the old ones go once the save is committed.

        `fresh` first drops what sorl remembers of this picture's renditions, so every file is
        made again (`manage.py make_renditions`).
        """
        old = self.renditions
        if fresh and self.image:
            photo_renditions.forget(self.image.name)
        made = photo_renditions.make(self.image, self.width, self.height, self.focal) if self.image else {}
        self.renditions = made
        photo_renditions.remove_files_on_commit(old, keep=made)

    def in_published_story(self):
        """Whether a published story (public, scheduled or expired) shows this photo: a change
        to it would reach readers without an editor."""
        return self.articles.filter(status=Article.Status.PUBLISHED).exists()

    def thumbnail_url(self):
        """The smallest rendition (for the admin's thumbnails), else the original."""
        for key in photo_renditions.FORMATS:
            if self.renditions.get(key):
                return self.image.storage.url(self.renditions[key][0]["name"])
        return self.image.url

    def sources(self, ratio=None):
        """{format key: [(url, width, height), ...]} of the renditions, narrowest first: the whole
        picture, or its crop of shape `ratio` (a renditions.RATIOS key) where that is made."""
        url = self.image.storage.url
        made = self.renditions
        if ratio and ratio in made.get("crops", {}):
            made = made["crops"][ratio]
        return {
            key: [(url(item["name"]), item["width"], item["height"]) for item in made.get(key, ())]
            for key in photo_renditions.FORMATS
        }

    def crop_images(self):
        """{ratio: (url, width, height)} of the widest JPEG of each crop (structured data); empty
        until the crops are made."""
        crops = {}
        for ratio in photo_renditions.RATIOS:
            jpeg = self.sources(ratio)["jpeg"]
            if jpeg and ratio in self.renditions.get("crops", {}):
                crops[ratio] = jpeg[-1]
        return crops

    def share_image(self):
        """(url, width, height) for Open Graph: the 16:9 crop 1200 pixels wide (or the widest below),
        else the original."""
        wide = [item for item in self.sources("16:9")["jpeg"] if item[1] <= 1200]
        if wide and "16:9" in self.renditions.get("crops", {}):
            return wide[-1]
        return self.image.url, self.width, self.height


def public(prefix=""):
    """Q for public stories: published, publication time not in the future, unpublish time (if any)
    still ahead (`prefix`: the path to them from another model, e.g. "articles__").

    Scheduling and expiry need no cron: both are read against the clock on every query. The
    unpublish time is a filter on the rows the list indexes already give, not an index of its own.
    """
    now = timezone.now()
    published = models.Q(**{f"{prefix}status": Article.Status.PUBLISHED, f"{prefix}published_at__lte": now})
    not_yet_expired = models.Q(**{f"{prefix}unpublish_at__isnull": True}) | models.Q(
        **{f"{prefix}unpublish_at__gt": now}
    )
    return published & not_yet_expired


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Public stories only (public())."""
        return self.filter(public())

    def counts_by(self, period):
        """{first day of each "year", "month" or "day": its number of stories}, in one grouped query.

        The days are the site's (TIME_ZONE): a story filed at 01:30 Moscow time counts on that day.
        """
        trunc = {"year": TruncYear, "month": TruncMonth, "day": TruncDay}[period]
        rows = (
            self.order_by()
            .annotate(period=trunc("published_at", output_field=models.DateField()))
            .values("period")
            .annotate(count=models.Count("pk"))
        )
        return {row["period"]: row["count"] for row in rows}

    def scheduled(self):
        """Published stories whose publication time is still ahead."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def expired(self):
        """Published stories whose unpublish time has passed: off the site, kept in the admin."""
        return self.filter(status=Article.Status.PUBLISHED, unpublish_at__lte=timezone.now())

    def desk_counts(self):
        """{"review": stories ready for review, "scheduled": stories scheduled}, in one query."""
        now = timezone.now()
        return self.aggregate(
            review=models.Count("pk", filter=models.Q(status=Article.Status.REVIEW)),
            scheduled=models.Count(
                "pk", filter=models.Q(status=Article.Status.PUBLISHED, published_at__gt=now)
            ),
        )

    def for_lists(self):
        """What a story teaser shows, in one query: not the story's text."""
        return self.select_related("section", "main_photo").defer("body", "body_html")

    def with_byline_and_tags(self):
        """Each story's authors and tags as lists (`byline`, `tag_list`): two more queries.

        Lists, not managers: Django then makes no manager and queryset per story (which cost more
        than the queries themselves on a feed's thirty stories).
        """
        return self.prefetch_related(
            models.Prefetch("authors", to_attr="byline"), models.Prefetch("tags", to_attr="tag_list")
        )

    def for_page(self):
        """Everything the story page shows, in four queries: the story with its section and photo,
        then its byline, tags and corrections, as lists (`byline`, `tag_list`, `correction_list`)."""
        return (
            self.select_related("section", "main_photo")
            .with_byline_and_tags()
            .prefetch_related(models.Prefetch("corrections", to_attr="correction_list"))
        )

    def for_feeds(self):
        """A teaser's fields with the byline and tags (`byline`, `tag_list`): three queries."""
        return self.for_lists().with_byline_and_tags()

    def newest_by_section(self, per_section=4):
        """[(section, its newest stories)] for each section with any, in order; two queries.

        Each section comes with the ids of its newest stories, one subquery per place read
        straight from article_section_idx; then those stories. (Ranking every story with a
        window function took over a second with 100,000 stories.)
        """
        newest = self.filter(section=models.OuterRef("pk")).order_by("-published_at", "-id").values("pk")
        places = [f"story_{n}" for n in range(per_section)]
        sections = Section.objects.annotate(
            **{place: models.Subquery(newest[n : n + 1]) for n, place in enumerate(places)}
        )
        ids = {section: [pk for place in places if (pk := getattr(section, place))] for section in sections}
        stories = Article.objects.filter(pk__in=[pk for pks in ids.values() for pk in pks]).for_lists()
        found = {story.pk: story for story in stories}
        # A story deleted between the two queries is left out.
        blocks = [(section, [found[pk] for pk in pks if pk in found]) for section, pks in ids.items()]
        return [(section, stories) for section, stories in blocks if stories]

    def front_page(self, latest_count=10, cards=2):
        """The front page's stories as (top story, cards, latest), in two queries.

        Pinned slots (FrontPageSlot) come first: slot 1 is the top story, the others cards. An
        empty top slot goes to the newest story with a photo among the latest (the newest story
        when none has one); empty cards to the next newest stories, as long as three stay for the
        latest list. No story appears twice; the three parts hold 1 + `latest_count` at most.
        """
        # The slots' stories, public ones only (as `self` is): led by the few slots, never by a walk
        # through every story (which joining the slots to their stories inside the subquery made).
        current = FrontPageSlot.objects.current().values("article_id")
        pinned = {
            story.front_page_slot.position: story
            for story in self.filter(pk__in=current).select_related("front_page_slot").for_lists()
        }
        pinned_ids = {story.pk for story in pinned.values()}
        newest = [
            story
            for story in self.for_lists()[: latest_count + 1 + len(pinned)]
            if story.pk not in pinned_ids
        ]
        top = pinned.pop(1, None)
        if top is None and newest:
            top = next((story for story in newest if story.main_photo_id), newest[0])
            newest.remove(top)
        more = [pinned[position] for position in sorted(pinned)]
        # Both cards or none, as before pinning existed: a short latest list looks broken.
        while len(more) < cards and len(newest) - (cards - len(more)) >= 3:
            more.append(newest.pop(0))
        return top, more, newest[: max(latest_count - len(more), 0)]

    def most_commented(self, days=7, limit=5):
        """The stories readers discussed most among those published in the last `days` days."""
        since = timezone.now() - timedelta(days=days)
        order = ("-comment_count", "-published_at", "-pk")
        # Ranked from article_commented_idx alone (a week of stories), then `limit` stories read.
        ranked = self.filter(published_at__gte=since, comment_count__gt=0).order_by(*order).values("pk")
        return self.filter(pk__in=ranked[:limit]).order_by(*order).for_lists()

    def related_to(self, article, limit=4):
        """Other stories sharing the most tags with `article` (loaded with for_page()), newest first
        among equals; one query."""
        if not article.tag_list:
            return self.none()
        return self._ranked_related(article).for_lists()[:limit]

    def _ranked_related(self, article):
        return (
            self.filter(tags__in=[tag.pk for tag in article.tag_list])
            .exclude(pk=article.pk)
            .annotate(shared_tags=models.Count("pk"))
            .order_by("-shared_tags", "-published_at", "-pk")
        )

    def most_read(self, ranking, limit=5):
        """The most read of these stories (`ranking`: articles/mostread.py), in one query; none
        without a query when nothing was counted."""
        return (
            self.filter(pk__in=ranking.ids)
            .annotate(views=ranking.views)
            .order_by("-views", "-published_at", "-pk")
            .for_lists()[:limit]
        )

    def related_and_most_read(self, article, ranking, related=4, most_read=5):
        """(related_to(article), most_read(ranking) without `article`) in one query, for the story
        page: its budget is seven queries, a page of comments included.

        The query loads the candidates of both lists with what orders them (`shared_tags`,
        `views`); each list is then the first of its candidates in its own order, as the two
        queries would have found.
        """
        wanted = models.Q(pk__in=ranking.ids)
        annotations = {"views": ranking.views, "shared_tags": models.Value(0)}
        if article.tag_list:
            # Grouped by id alone: grouping whole stories (bodies, search documents) cost 3 ms.
            ranked = (
                self.filter(tags__in=[tag.pk for tag in article.tag_list])
                .exclude(pk=article.pk)
                .values("pk")
                .annotate(shared_tags=models.Count("pk"))
                .order_by("-shared_tags", "-published_at", "-pk")
            )
            wanted |= models.Q(pk__in=ranked.values("pk")[:related])
            tag_ids = [tag.pk for tag in article.tag_list]
            shared = (
                Article.objects.filter(pk=models.OuterRef("pk"), tags__in=tag_ids)
                .values("pk")
                .annotate(count=models.Count("pk"))
                .values("count")
            )
            annotations["shared_tags"] = Coalesce(models.Subquery(shared), 0)
        # Unordered (both lists are sorted below): ordered newest first, SQLite would walk every
        # public story by date and test each against the two lists, rather than fetch the few.
        stories = list(self.filter(wanted).annotate(**annotations).for_lists().order_by())

        def newest(story):
            return (story.published_at, story.pk)

        others = sorted((story for story in stories if story.pk != article.pk), key=newest, reverse=True)
        by_tags = sorted((story for story in others if story.shared_tags), key=lambda s: -s.shared_tags)
        by_views = sorted((story for story in others if story.views), key=lambda s: -s.views)
        return by_tags[:related], by_views[:most_read]


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        # The search documents are large and only search reads them (in SQL): never loaded. A story
        # saved from such a copy leaves search_extra alone (Django saves loaded fields only).
        return super().get_queryset().defer("search_extra", "search_en", "search_ru")


class ArticleVersionRelations(models.Model):
    """What a version keeps of the story's many-to-many fields, which django-simple-history's
    rows do not hold: filled by keep_relations() when the version is written."""

    # [{"id": author id, "name": name then}]: the name stays readable if the author is deleted.
    authors_kept = models.JSONField(_("authors"), default=list)
    tags_kept = models.JSONField(_("tags"), default=list)

    class Meta:
        abstract = True


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Ready for review")
        PUBLISHED = "published", _("Published")

    headline = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_(
            "The readable part of the URL, filled in from the headline. If another story already "
            "has it, a number is added when you save (e.g. -2). A slug you type yourself must be "
            "free; you are told which story has it and a free one to use."
        ),
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.PROTECT, related_name="articles"
    )
    dateline_place = models.CharField(
        _("dateline place"),
        max_length=80,
        blank=True,
        help_text=_('Where the story was filed, e.g. "MOSCOW". Shown before the time.'),
    )
    lead = models.TextField(_("lead"), help_text=_("The standfirst: one or two sentences, shown in bold."))
    body = models.TextField(
        _("body"),
        help_text=_(
            "Markdown: blank line between paragraphs, ## for a subhead, **bold**, *italic*, "
            "[link text](https://…), > for a quote, - for a list."
        ),
    )
    body_html = models.TextField(editable=False, blank=True)
    main_photo = models.ForeignKey(
        Photo,
        verbose_name=_("main photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    tags = TaggableManager(_("tags"), blank=True)
    authors = models.ManyToManyField(Author, verbose_name=_("authors"), blank=True, related_name="articles")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("Set a future time to schedule the story; it appears on its own at that time."),
    )
    unpublish_at = models.DateTimeField(
        _("unpublish at"),
        null=True,
        blank=True,
        help_text=_(
            "Optional. At this time the story leaves the site on its own (pages, lists, feeds, "
            "search); it stays here in the admin, marked expired."
        ),
    )
    updated_at = models.DateTimeField(
        _("updated time"),
        null=True,
        blank=True,
        help_text=_('Shown as "Updated …" when a published story is changed. Set automatically.'),
    )
    short_code = models.CharField(_("short code"), max_length=16, unique=True, editable=False)
    # The comments app's rules read these columns by name (comments/moderation.py).
    allow_comments = models.BooleanField(_("allow comments"), default=True)
    # Kept by the comments app on every moderation change, so lists show counts without a join.
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    comments_premoderated = models.BooleanField(
        _("pre-moderate comments"),
        default=False,
        help_text=_("Hold every comment on this story until a moderator approves it."),
    )
    comments_close_at = models.DateTimeField(
        _("comments close at"),
        null=True,
        blank=True,
        help_text=_(
            "After this time readers can no longer comment. Left empty, comments close "
            "a set number of days after publication (COMMENTS_CLOSE_AFTER_DAYS)."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)
    # The words search finds beyond the story's text: dateline place, photo caption and author
    # names, kept by articles/search/extra.py when any of them changes.
    search_extra = models.TextField(editable=False, blank=True, default="")
    # The weighted search document, once per site language, kept by PostgreSQL (NULL on SQLite,
    # which has its FTS5 index): articles/search/postgres.py.
    search_en = models.GeneratedField(
        expression=SearchDocument("english", weights=SEARCH_WEIGHTS),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    search_ru = models.GeneratedField(
        expression=SearchDocument("russian", weights=SEARCH_WEIGHTS),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    # One more on every save: a form based on an older number is refused (articles/versions.py).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ArticleManager()
    # Every save keeps a version: who, when and every field (articles/versions.py reads them).
    history = HistoricalRecords(
        bases=[ArticleVersionRelations],
        excluded_fields=[
            "body_html",
            "comment_count",
            "modified_at",
            "search_extra",
            "search_en",
            "search_ru",
        ],
        cascade_delete_history=False,
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            # Every list is "published, newest first" with the id as tie-breaker: with -id in the
            # index the database reads the first page straight from it, without sorting.
            models.Index(fields=["status", "-published_at", "-id"], name="article_public_idx"),
            # unpublish_at last: public() checks it too, so a section page's count is read from the
            # index alone, not from each of its stories' rows.
            models.Index(
                fields=["section", "status", "-published_at", "-id", "unpublish_at"],
                name="article_section_idx",
            ),
            models.Index(
                fields=["status", "published_at", "comment_count", "id"], name="article_commented_idx"
            ),
            SearchIndex(fields=["search_en"], name="article_search_en_idx"),
            SearchIndex(fields=["search_ru"], name="article_search_ru_idx"),
        ]
        permissions = [("publish_article", _("Can publish and unpublish articles"))]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.free_slug(self.headline)
        self.body_html = render_markdown(self.body)
        if self.pk is not None and not self._state.adding:
            # From the stored number, not this copy's: a copy loaded earlier may be behind.
            stored = Article.objects.filter(pk=self.pk).values_list("version", flat=True).first()
            self.version = (stored or 0) + 1
        if self.status == self.Status.PUBLISHED and not self.published_at:
            self.published_at = timezone.now()
        if self.short_code:
            super().save(*args, **kwargs)
        else:
            self._save_with_new_short_code(*args, **kwargs)
        if self.status == self.Status.PUBLISHED:
            # Every URL a published story has had keeps working (see ArticleURL).
            ArticleURL.objects.get_or_create(path=self.get_absolute_url(), defaults={"article": self})

    def get_absolute_url(self):
        local = timezone.localtime(self.published_at or self.created_at or timezone.now())
        return site_url(
            "articles:detail",
            self.section.slug,
            local.year,
            f"{local.month:02d}",
            f"{local.day:02d}",
            self.slug,
        )

    def relations_for_next_version(self, authors, tags):
        """The authors and tags the version written by the next save holds: forms and new stories
        save them after the story row, too late for that version (articles/versions.py)."""
        self._version_relations = (list(authors), list(tags))

    def old_link_slugs(self, prefix=""):
        """Slugs in other stories' old URLs: they stay taken so those links keep leading there."""
        paths = (
            ArticleURL.objects.filter(path__contains=f"/{prefix}")
            .exclude(article_id=self.pk)
            .values_list("path", flat=True)
        )
        slugs = {path.rstrip("/").rsplit("/", 1)[-1] for path in paths}
        return {slug for slug in slugs if slug.startswith(prefix)}

    def _save_with_new_short_code(self, *args, **kwargs):
        for _attempt in range(10):
            self.short_code = new_short_code()
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if not Article.objects.filter(short_code=self.short_code).exists():
                    raise
        raise IntegrityError("Could not find a free short code.")

    @property
    def is_published(self):
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and (self.unpublish_at is None or now < self.unpublish_at)
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED and self.published_at and self.published_at > timezone.now()
        )

    @property
    def is_expired(self):
        return bool(
            self.status == self.Status.PUBLISHED and self.unpublish_at and self.unpublish_at <= timezone.now()
        )

    def slug_taken_by(self, slug):
        """(the other story, whether only an old link of it) that holds `slug`; None when free."""
        other = Article.objects.exclude(pk=self.pk).filter(slug=slug).only("headline").first()
        if other:
            return other, False
        old = Article.objects.filter(urls__path__endswith=f"/{slug}/").exclude(pk=self.pk).only("headline")
        old = old.first()
        return (old, True) if old else None

    def free_slug(self, text):
        """A slug from `text` that neither another story nor another story's old link has."""
        return unique_slug(Article, text, max_length=200, exclude_pk=self.pk, also_taken=self.old_link_slugs)

    @property
    def was_updated(self):
        return self.update_time() is not None

    def update_time(self):
        """When readers were told the story changed ("Updated …", dateModified, feeds, sitemaps):
        `updated_at` if it came after the grace period that follows publication, else None."""
        if self.updated_at and self.published_at and self.updated_at >= self.published_at + update_grace():
            return self.updated_at
        return None

    def is_past_update_grace(self, when):
        """Whether a change at `when` is an update readers are told of, rather than a first fix
        (a typo caught in the minutes after publication) of a story they may not have seen."""
        return self.published_at is not None and when >= self.published_at + update_grace()

    def get_short_path(self):
        return reverse("articles:short", args=[self.short_code])

    def get_short_url(self, request=None):
        path = self.get_short_path()
        if settings.SHORT_URL_BASE:
            return settings.SHORT_URL_BASE + path
        return request.build_absolute_uri(path) if request else path


class FrontPageSlotQuerySet(models.QuerySet):
    def current(self):
        """Slots within FRONT_PAGE_SLOTS whose pin has not ended, whatever their story's state."""
        now = timezone.now()
        return self.filter(
            models.Q(pinned_until__isnull=True) | models.Q(pinned_until__gt=now),
            position__lte=settings.FRONT_PAGE_SLOTS,
        )

    def active(self):
        """Slots that count now: current ones holding a public story.

        Read at every request, so an expired pin or an unpublished story drops off by itself.
        """
        return self.current().filter(public("article__"))

    def free_positions(self):
        """Slot numbers an editor may fill now: empty ones and those whose pin has ended."""
        taken = set(self.active().values_list("position", flat=True))
        return [n for n in range(1, settings.FRONT_PAGE_SLOTS + 1) if n not in taken]


class FrontPageSlot(models.Model):
    """A story an editor pinned to a lead place of the front page; slot 1 is the top story.

    Its own table rather than fields on Article: pinning and unpinning never touch the story's
    row, so they make no new version of the story, do not mark it modified and cannot collide
    with an editor who has the story open. Slots left empty follow the news (HomeView).
    """

    position = models.PositiveSmallIntegerField(
        _("slot"),
        unique=True,
        validators=[MinValueValidator(1)],
        help_text=_("1 is the top story; the next slots are the cards beside it."),
    )
    article = models.OneToOneField(
        Article,
        verbose_name=_("story"),
        on_delete=models.CASCADE,
        related_name="front_page_slot",
        # Scheduled stories may be pinned: they lead from their publication time on.
        limit_choices_to={"status": Article.Status.PUBLISHED},
    )
    pinned_until = models.DateTimeField(
        _("pinned until"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep the story here until you unpin it."),
    )
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pinned by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pinned_at = models.DateTimeField(_("pinned at"), auto_now=True)

    objects = FrontPageSlotQuerySet.as_manager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("front page slot")
        verbose_name_plural = _("front page slots")

    def __str__(self):
        return _("Slot %(position)d: %(headline)s") % {"position": self.position, "headline": self.article}

    def clean(self):
        if self.position and self.position > settings.FRONT_PAGE_SLOTS:
            raise ValidationError(
                {
                    "position": _("The front page has %(count)d slots; choose one of 1–%(count)d.")
                    % {"count": settings.FRONT_PAGE_SLOTS}
                }
            )

    @property
    def is_active(self):
        return (
            self.position <= settings.FRONT_PAGE_SLOTS
            and self.article.is_published
            and (self.pinned_until is None or self.pinned_until > timezone.now())
        )


class ArticleURL(models.Model):
    """A path a published story has been reachable at; old ones answer 301 to the current one."""

    path = models.CharField(max_length=500, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="urls")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("article URL")
        verbose_name_plural = _("article URLs")

    def __str__(self):
        return self.path


class Correction(models.Model):
    """A dated note at the end of a story saying what an earlier version got wrong."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="corrections"
    )
    date = models.DateField(
        _("date"),
        default=timezone.localdate,
        help_text=_("The day of the correction; shown before the text."),
    )
    text = models.TextField(
        _("text"),
        help_text=_(
            'What was wrong and what is right, e.g. "An earlier version of this story gave the wrong '
            'date for the vote. It is on Friday."'
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self):
        return f"{self.date:%d.%m.%Y}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # A corrected story is an updated story: it shows "Updated …" and its new dateModified,
        # unless it was corrected within the grace period after publication.
        now = timezone.now()
        stories = Article.objects.filter(pk=self.article_id)
        stories.filter(published_at__lte=now - update_grace()).update(updated_at=now, modified_at=now)
        stories.filter(models.Q(published_at__gt=now - update_grace()) | models.Q(published_at=None)).update(
            modified_at=now
        )
        if Correction.article.is_cached(self):
            self.article.modified_at = now
            if self.article.is_past_update_grace(now):
                self.article.updated_at = now

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        # The story's page (and its cached copy, keyed by modified_at) must drop the correction.
        Article.objects.filter(pk=self.article_id).update(modified_at=timezone.now())
        return result


def update_grace():
    return timedelta(minutes=settings.UPDATED_GRACE_MINUTES)


def tags_in_use(stories):
    """Tags that at least one of `stories` carries, in one query: a tag only a draft uses may name
    what is still embargoed, so reader pages and feeds look tags up among public stories' only."""
    return Tag.objects.filter(models.Exists(stories.filter(tags=models.OuterRef("pk"))))


class StoryViews(models.Model):
    """How many times a story was read in one hour (UTC): "Most read" without Redis
    (articles/mostread.py). Nothing about the readers is kept."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["hour", "article"], name="story_views_unique_hour")]
        verbose_name = _("story views")
        verbose_name_plural = _("story views")

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.count}"
