from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

import audit
from audit.models import Entry

from .models import Ban, BannedWord, Comment, CommentReport, CommunityStandards, Moderator
from .services import ban_authors, feature, moderate, needing, refresh_comment_counts

STATUS_ORDER = Case(
    When(status=Comment.Status.PENDING, then=Value(0)),
    When(status=Comment.Status.PUBLISHED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def moderated_sections(user):
    """The section ids a moderator is limited to, or None for every section."""
    if user.is_superuser:
        return None
    moderator = Moderator.objects.filter(user=user).first()
    if moderator is None:
        return None
    ids = list(moderator.sections.values_list("pk", flat=True))
    return ids or None


class CommentReportInline(admin.TabularInline):
    model = CommentReport
    extra = 0
    can_delete = False
    fields = ["created_at", "reason", "user", "reviewed"]
    readonly_fields = ["created_at", "reason", "user", "reviewed"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "short_text",
        "author",
        "article_link",
        "status",
        "hold_reason",
        "report_count",
        "is_pick",
        "created_at",
        "view_in_place",
    ]
    list_display_links = ["short_text"]
    list_filter = ["status", "hold_reason", "article__section", ("article", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["body", "name", "email", "ip_address", "user__email", "user__profile__display_name"]
    list_select_related = ["article__section", "user__profile"]
    date_hierarchy = "created_at"
    list_per_page = 50
    actions = [
        "approve",
        "reject",
        "remove",
        "make_pick",
        "unmake_pick",
        "ban_email",
        "ban_ip",
        "ban_account",
    ]
    readonly_fields = [
        "article",
        "hold_reason",
        "user",
        "ip_address",
        "user_agent",
        "created_at",
        "published_at",
        "report_count",
        "moderated_by",
        "moderated_at",
        "parent",
        "edited_at",
        "deleted_at",
        "featured_at",
        "rendered",
        "view_in_place",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["article", "parent", "status", "hold_reason", "body", "rendered", "view_in_place"]},
        ),
        (_("Author"), {"fields": ["user", "name", "email", "ip_address", "user_agent"]}),
        (
            _("History"),
            {
                "fields": [
                    "created_at",
                    "published_at",
                    "edited_at",
                    "deleted_at",
                    "featured_at",
                    "report_count",
                    "moderated_by",
                    "moderated_at",
                ]
            },
        ),
    ]
    inlines = [CommentReportInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        sections = moderated_sections(request.user)
        if sections is not None:
            queryset = queryset.filter(article__section__in=sections)
        return queryset

    def get_ordering(self, request):
        return [STATUS_ORDER.asc(), "-created_at"]

    def has_add_permission(self, request):
        return False  # comments come from readers

    def has_moderate_permission(self, request):
        return request.user.has_perm("comments.moderate_comment")

    @admin.display(description=_("comment"))
    def short_text(self, obj):
        text = " ".join(obj.body.split())
        return text[:90] + ("…" if len(text) > 90 else "")

    @admin.display(description=_("editors' pick"), boolean=True, ordering="featured_at")
    def is_pick(self, obj):
        return obj.featured_at is not None

    @admin.display(description=_("author"), ordering="name")
    def author(self, obj):
        label = obj.author_name
        if obj.user_id:
            return format_html("{} <small>({})</small>", label, _("account"))
        return label

    @admin.display(description=_("article"), ordering="article__published_at")
    def article_link(self, obj):
        return obj.article.headline[:60]

    @admin.display(description=_("in place"))
    def view_in_place(self, obj):
        if not obj.pk or obj.status not in (Comment.Status.PUBLISHED, Comment.Status.PENDING):
            return "—"
        return format_html('<a href="{}" target="_blank">{}</a>', obj.get_absolute_url(), _("View"))

    @admin.display(description=_("as readers see it"))
    def rendered(self, obj):
        return mark_safe(obj.body_html)  # noqa: S308 - escaped when the comment was saved

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            new_status = obj.status
            obj.status = form.initial["status"]
            super().save_model(request, obj, form, change)
            if moderate(Comment.objects.filter(pk=obj.pk), new_status, by=request.user):
                audit.record(request, Entry.Action.MODERATE, obj, f"{form.initial['status']} → {new_status}")
            obj.refresh_from_db()
        else:
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        article_id = obj.article_id
        audit.record(request, Entry.Action.DELETE, obj)
        super().delete_model(request, obj)
        refresh_comment_counts([article_id])

    def delete_queryset(self, request, queryset):
        article_ids = set(queryset.values_list("article_id", flat=True))
        for comment in queryset:
            audit.record(request, Entry.Action.DELETE, comment)
        super().delete_queryset(request, queryset)
        refresh_comment_counts(article_ids)

    def _moderate(self, request, queryset, status, singular, plural):
        changing = list(needing(queryset, status))
        count = moderate(queryset, status, by=request.user)
        for comment in changing:
            audit.record(request, Entry.Action.MODERATE, comment, f"{comment.status} → {status}")
        self.message_user(request, ngettext(singular, plural, count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Approve selected comments"), permissions=["moderate"])
    def approve(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.PUBLISHED,
            "%(count)d comment approved",
            "%(count)d comments approved",
        )

    @admin.action(description=_("Reject selected comments"), permissions=["moderate"])
    def reject(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.REJECTED,
            "%(count)d comment rejected",
            "%(count)d comments rejected",
        )

    @admin.action(description=_("Remove selected comments from the page"), permissions=["moderate"])
    def remove(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.REMOVED,
            "%(count)d comment removed",
            "%(count)d comments removed",
        )

    def _feature(self, request, queryset, on, singular, plural):
        count = feature(queryset, on=on)
        if count:
            ids = ", ".join(f"#{pk}" for pk in queryset.values_list("pk", flat=True))
            detail = "editors' pick" if on else "no longer an editors' pick"
            audit.record(request, Entry.Action.MODERATE, None, f"{detail}: comments {ids}")
        self.message_user(request, ngettext(singular, plural, count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Feature as Editors’ pick"), permissions=["moderate"])
    def make_pick(self, request, queryset):
        self._feature(request, queryset, True, "%(count)d comment featured", "%(count)d comments featured")

    @admin.action(description=_("Unfeature (no longer an Editors’ pick)"), permissions=["moderate"])
    def unmake_pick(self, request, queryset):
        self._feature(
            request, queryset, False, "%(count)d comment unfeatured", "%(count)d comments unfeatured"
        )

    def _ban(self, request, queryset, kind, singular, plural):
        count = ban_authors(queryset, kind, by=request.user, reason=_("Banned from the comment queue"))
        if count:
            ids = ", ".join(f"#{pk}" for pk in queryset.values_list("pk", flat=True))
            audit.record(request, Entry.Action.BAN, None, f"{count} new {kind} ban(s), from comments {ids}")
        self.message_user(request, ngettext(singular, plural, count) % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Ban the guest email of selected comments"), permissions=["moderate"])
    def ban_email(self, request, queryset):
        self._ban(request, queryset, Ban.Kind.EMAIL, "%(count)d email banned", "%(count)d emails banned")

    @admin.action(description=_("Ban the IP address of selected comments"), permissions=["moderate"])
    def ban_ip(self, request, queryset):
        self._ban(
            request, queryset, Ban.Kind.IP, "%(count)d IP address banned", "%(count)d IP addresses banned"
        )

    @admin.action(description=_("Ban the account of selected comments"), permissions=["moderate"])
    def ban_account(self, request, queryset):
        self._ban(request, queryset, Ban.Kind.USER, "%(count)d account banned", "%(count)d accounts banned")


@admin.register(BannedWord)
class BannedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "created_at"]
    search_fields = ["word"]


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "reason", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value", "user__email", "user__username", "reason"]
    autocomplete_fields = ["user"]
    fields = ["kind", "value", "user", "reason"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CommunityStandards)
class CommunityStandardsAdmin(admin.ModelAdmin):
    list_display = ["title", "updated_at", "updated_by"]
    fields = ["title", "body"]

    def has_add_permission(self, request):
        # One page: add it once, then edit it.
        return super().has_add_permission(request) and not CommunityStandards.objects.exists()

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        return reverse("comments:standards")


@admin.register(Moderator)
class ModeratorAdmin(admin.ModelAdmin):
    list_display = ["user", "section_list"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["sections"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related("sections")

    @admin.display(description=_("sections"))
    def section_list(self, obj):
        return ", ".join(section.name for section in obj.sections.all()) or _("All sections")
