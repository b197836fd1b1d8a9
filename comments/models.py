import re
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.markup import render_plain_text
from core.people import staff_name

from . import entries


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Comment.Status.PUBLISHED)

    def for_display(self):
        """What a comment on the page shows: the author's profile (name, avatar) in the same query."""
        return self.select_related("user__profile", "user__author").order_by("published_at", "id")

    def held(self):
        return self.filter(status=Comment.Status.PENDING)

    def visible(self):
        """What readers see: published, and a reply only while its thread's first comment is too."""
        return self.published().filter(
            models.Q(thread_root=None) | models.Q(thread_root__status=Comment.Status.PUBLISHED)
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        REMOVED = "removed", _("Removed")
        DELETED = "deleted", _("Deleted by its author")

    class HoldReason(models.TextChoices):
        NONE = "", _("—")
        PREMODERATION = "premoderation", _("Pre-moderation")
        LINKS = "links", _("Too many links")
        BANNED_WORD = "banned_word", _("Banned word")
        REJECTED_BEFORE = "rejected_before", _("Author's earlier comments were rejected")
        REPORTS = "reports", _("Reported by readers")

    article = models.ForeignKey(
        "articles.Article", verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        help_text=_("Empty for guests."),
    )
    name = models.CharField(
        _("name"),
        max_length=settings.COMMENTS_NAME_MAX_LENGTH,
        help_text=_("As the author gave it; for accounts, their display name when they posted."),
    )
    email = models.EmailField(_("email"), blank=True, help_text=_("Never shown to readers."))
    # A reply: the comment answered (`parent`) and the first comment of its thread (`thread_root`).
    # Threads are one level deep on the page: a reply to a reply joins the same thread.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    thread_root = models.ForeignKey(
        "self",
        verbose_name=_("thread"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    reply_to = models.CharField(
        _("in reply to"),
        max_length=settings.COMMENTS_NAME_MAX_LENGTH,
        blank=True,
        editable=False,
        help_text=_("The name of the author answered, as it was when the reply was posted."),
    )
    body = models.TextField(_("comment"), help_text=_("As the author typed it."))
    body_html = models.TextField(editable=False, blank=True)
    # The whole entry as readers see it in the thread, drawn once when the comment is saved and
    # printed as it is: a thread page joins its comments' entries, it renders none (entries.py).
    entry_html = models.TextField(editable=False, blank=True)
    # What the entry was drawn with (entries.entry_version()); another value: drawn again when read.
    entry_version = models.CharField(max_length=16, editable=False, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED, db_index=True
    )
    hold_reason = models.CharField(
        _("held because"), max_length=20, choices=HoldReason.choices, blank=True, default=""
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True, unpack_ipv4=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now, db_index=True)
    published_at = models.DateTimeField(
        _("published at"), null=True, blank=True, help_text=_("When readers first could see it.")
    )
    report_count = models.PositiveIntegerField(
        _("reports"), default=0, help_text=_("Reports from readers since a moderator last reviewed it.")
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True, editable=False)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True, editable=False)
    # Deleted by its author while it had replies: kept in place, without its text, for the thread.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    featured_at = models.DateTimeField(
        _("editors' pick since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Shown among the editors' picks above all comments."),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "id"]
        get_latest_by = "created_at"
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [
            models.Index(fields=["article", "status", "published_at", "id"], name="comment_thread_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_queue_idx"),
            models.Index(fields=["email"], name="comment_email_idx"),
        ]
        permissions = [("moderate_comment", _("Can moderate comments"))]

    def __str__(self):
        text = " ".join(self.body.split())
        return f"{self.name}: {text[:60]}" + ("…" if len(text) > 60 else "")

    def save(self, *args, **kwargs):
        self.body_html = render_plain_text(self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)
        # The entry shows the comment's id (its anchor and links), known only now.
        entries.store([self])

    def get_absolute_url(self):
        return reverse("comments:permalink", args=[self.pk])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_reply(self):
        return self.thread_root_id is not None

    @property
    def editable_until(self):
        return self.created_at + timedelta(minutes=settings.COMMENTS_EDIT_MINUTES)

    def can_edit(self, user, now=None):
        """Whether `user` may still change this comment's text: their own, shown, within the window."""
        return self.is_own(user) and self.is_published and (now or timezone.now()) < self.editable_until

    def is_own(self, user):
        return bool(user.is_authenticated and self.user_id == user.pk and not self.is_deleted)

    @property
    def anchor(self):
        return f"comment-{self.pk}"

    @property
    def by_newsroom(self):
        """Written by a member of staff: shown with their byline and a "Newsroom" badge."""
        return bool(self.user_id and self.user is not None and self.user.is_staff)

    @property
    def author_name(self):
        """The account's current display name, else the name the guest gave. Staff go by their byline,
        else their display name, else their own name: never "Reader 5"."""
        if self.by_newsroom:
            byline = getattr(self.user, "author", None)
            profile = getattr(self.user, "profile", None)
            return (byline and byline.name) or (profile and profile.display_name) or staff_name(self.user)
        if self.user_id and self.user is not None:
            from accounts.models import display_name

            return display_name(self.user)
        return self.name

    @property
    def avatar_url(self):
        if self.user_id and self.user is not None:
            profile = getattr(self.user, "profile", None)
            if profile is not None:
                return profile.avatar_url
        return ""


class CommentReport(models.Model):
    """One reader's report of one comment. `reporter` is "user:<id>", "browser:<keyed hash>" (the
    reader cookie) or "ip:<keyed hash>"; `address` is always the keyed hash of the address."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abuse or harassment")
        OFF_TOPIC = "off_topic", _("Off-topic")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.CharField(max_length=80)
    address = models.CharField(max_length=40, blank=True, editable=False)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices, default=Reason.OTHER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed = models.BooleanField(
        _("reviewed"), default=False, help_text=_("A moderator looked at the comment after this report.")
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="one_report_per_reader"),
        ]

    def __str__(self):
        return f"Report on comment {self.comment_id}"


class BannedWord(models.Model):
    word = models.CharField(
        _("word or phrase"),
        max_length=100,
        unique=True,
        help_text=_(
            "A comment containing it as a whole word (any capitalisation) waits for a moderator. "
            "End with * to match every word that starts with it, e.g. idiot*."
        ),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["word"]
        verbose_name = _("banned word")
        verbose_name_plural = _("banned words")

    def __str__(self):
        return self.word

    def save(self, *args, **kwargs):
        self.word = " ".join(self.word.split()).lower()
        super().save(*args, **kwargs)

    @classmethod
    def pattern(cls):
        """One regular expression for the whole list, or None when the list is empty."""
        parts = []
        for word in cls.objects.values_list("word", flat=True):
            if word.endswith("*"):
                parts.append(re.escape(word[:-1]) + r"\w*")
            else:
                parts.append(re.escape(word))
        if not parts:
            return None
        return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


class Ban(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", _("Guest email")
        IP = "ip", _("IP address")
        USER = "user", _("Account")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    value = models.CharField(
        _("email or IP address"),
        max_length=254,
        blank=True,
        help_text=_("For an email or IP ban. Leave empty for an account ban."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comment_bans",
        help_text=_("For an account ban."),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("banned by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("banned at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value"], condition=~models.Q(kind="user"), name="one_ban_per_value"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(kind="user"), name="one_ban_per_user"
            ),
        ]

    def __str__(self):
        target = self.user if self.kind == self.Kind.USER else self.value
        return f"{self.get_kind_display()}: {target}"

    def clean(self):
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email, validate_ipv46_address

        if self.kind == self.Kind.USER:
            if not self.user_id:
                raise ValidationError({"user": _("Choose the account to ban.")})
            self.value = ""
            return
        self.value = self.value.strip().lower()
        if not self.value:
            raise ValidationError({"value": _("Enter the email or IP address to ban.")})
        validate = validate_email if self.kind == self.Kind.EMAIL else validate_ipv46_address
        try:
            validate(self.value)
        except ValidationError as exc:
            raise ValidationError({"value": exc.messages}) from exc

    @classmethod
    def find(cls, *, user=None, email="", ip=None):
        """The ban that stops this author, if any."""
        query = models.Q(pk__in=[])
        if user is not None and user.is_authenticated:
            query |= models.Q(kind=cls.Kind.USER, user=user)
        if email:
            query |= models.Q(kind=cls.Kind.EMAIL, value=email.strip().lower())
        if ip:
            query |= models.Q(kind=cls.Kind.IP, value=ip)
        return cls.objects.filter(query).first()


class CommunityStandards(models.Model):
    """The community standards page. One row; editors change its text in the admin."""

    title = models.CharField(_("title"), max_length=200, default="Community standards")
    body = models.TextField(
        _("text"),
        help_text=_("Markdown: blank line between paragraphs, ## for a subhead, - for a list."),
    )
    body_html = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("community standards")
        verbose_name_plural = _("community standards")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from core.markup import render_markdown

        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("comments:standards")


class Moderator(models.Model):
    """Limits a moderator to some sections. Without a row (or with no sections) they moderate all."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.CASCADE,
        related_name="moderator",
    )
    sections = models.ManyToManyField(
        "articles.Section",
        verbose_name=_("sections"),
        blank=True,
        related_name="+",
        help_text=_("The sections whose comments this moderator sees. None: every section."),
    )

    class Meta:
        verbose_name = _("moderator")
        verbose_name_plural = _("moderators")

    def __str__(self):
        return str(self.user)


class ReplySubscription(models.Model):
    """A reader who asked to be emailed about replies in one conversation (a thread), at one address.

    A guest's address is confirmed first (a link emailed to it); an account's verified address at
    once. Nothing is sent before `confirmed_at`, nor after `unsubscribed_at` (comments/notifications.py).
    """

    thread_root = models.ForeignKey(
        Comment, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="reply_subscriptions"
    )
    email = models.EmailField(_("email"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Where the reader was when they asked (scheme and host): links in the emails lead there unless
    # settings.SITE_URL names the site's address.
    base_url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_sent_at = models.DateTimeField(_("last emailed at"), null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reply notification")
        verbose_name_plural = _("reply notifications")
        constraints = [
            models.UniqueConstraint(fields=["thread_root", "email"], name="one_subscription_per_thread"),
        ]

    def __str__(self):
        return f"{self.email} on thread {self.thread_root_id}"

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None
