from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import dateformat, timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit import admin as taggit_admin
from taggit.models import Tag

import audit
from audit.models import Entry
from core.images import ImageUploadField, StoresImagesMixin
from core.markup import render_markdown

from . import presence, services, versions
from .models import Article, Author, Correction, FrontPageSlot, Photo, Section, public, tags_in_use

# Changes to these fields of a public story make it show "Updated …".
CONTENT_FIELDS = {"headline", "lead", "body", "main_photo", "dateline_place"}


def reader_visible_change(form):
    """Whether the form changes what a reader sees of the story: its words or its photo. A body
    edit that renders the same (spaces, line breaks inside a paragraph) is not one."""
    changed = CONTENT_FIELDS & set(form.changed_data)
    if changed == {"body"}:
        old, new = (
            render_markdown(body).split()
            for body in (form.initial.get("body", ""), form.cleaned_data["body"])
        )
        return old != new  # split(): browsers show any run of spaces and line breaks as one space
    return bool(changed)


# Only editors set these; reporters see them read-only.
PUBLISH_TIME_FIELDS = ["published_at", "unpublish_at"]
# Posted (by admin/newsroom-slug.js) once someone types in the slug box: the slug is theirs, not the
# one filled in from the headline.
SLUG_TYPED = "_slug_typed"
# About this many characters of a headline (the page title) and of a lead (the meta description)
# show in search engines' results; the story form counts them as the editor types.
HEADLINE_SEARCH_LENGTH = 70
LEAD_SEARCH_LENGTH = 160


def thumbnail(photo, size=80):
    if not photo or not photo.image:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" class="newsroom-thumb">',
        # The large original only where the admin shows it large.
        photo.image.url if size > 160 else photo.thumbnail_url(),
        photo.alt_text,
        size,
    )


RENDITIONS_PENDING = _("Renditions are being made; the original is shown until they are ready.")
RECROPPING = _(
    "The crops are being made again around the new focal point; pages show the old ones until then."
)
RENDITIONS_FAILED = _(
    "The renditions could not be made; pages show the original. "
    "An administrator can run “manage.py make_renditions --missing”."
)


def renditions_note(photo):
    """What the editor is told of the photo's renditions while they are not all there, if anything."""
    if photo.renditions_pending():
        # The same picture's renditions, cut around the old point, are still shown meanwhile.
        return (
            RECROPPING
            if photo.renditions.get("source") == photo.image.name and photo.renditions.get("jpeg")
            else RENDITIONS_PENDING
        )
    if photo.image and photo.renditions.get("failed"):
        return RENDITIONS_FAILED
    return None


def photo_label(photo):
    """Caption, credit, size and upload time: two photos with the same caption still differ."""
    uploaded = date_format(timezone.localtime(photo.uploaded_at), "SHORT_DATETIME_FORMAT")
    details = [photo.credit, f"{photo.width} × {photo.height}", uploaded]
    return f"{photo} — {' · '.join(part for part in details if part)}"


class PhotoChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return photo_label(obj)


class PhotoAutocompleteJsonView(AutocompleteJsonView):
    """The photo picker's search results, with what newsroom-photo-picker.js draws for each."""

    def serialize_result(self, obj, to_field_name):
        return {
            **super().serialize_result(obj, to_field_name),
            "text": photo_label(obj),
            "thumb": obj.thumbnail_url() if obj.image else "",
            "caption": str(obj),
            "details": photo_label(obj).removeprefix(f"{obj} — "),
        }


class PhotoPicker(AutocompleteSelect):
    """The autocomplete of a photo field, asking PhotoAdmin's richer search for its results."""

    def get_url(self):
        return reverse(f"{self.admin_site.name}:articles_photo_autocomplete")

    @property
    def media(self):
        # One list, so that merging media keeps the script after select2 and autocomplete.js.
        return forms.Media(
            css={"all": ["admin/newsroom-admin.css"]},
            js=[*super().media._js, "admin/newsroom-photo-picker.js"],
        )


class PhotoPickerMixin:
    """Photo foreign keys in `autocomplete_fields` get the picker with thumbnails."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Photo and db_field.name in self.autocomplete_fields:
            picker = PhotoPicker(
                db_field, self.admin_site, attrs={"class": "newsroom-photo-picker"}, using=kwargs.get("using")
            )
            kwargs.setdefault("widget", picker)
            kwargs.setdefault("form_class", PhotoChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def can_publish(user):
    return user.has_perm("articles.publish_article")


def record_publishing(request, article, old_status=None, old_published_at=None):
    """Log a publish, schedule or unpublish that a save made (nothing for other edits)."""
    public, was_public = (status == Article.Status.PUBLISHED for status in (article.status, old_status))
    later = article.published_at is not None and article.published_at > timezone.now()
    if was_public and not public:
        audit.record(request, Entry.Action.UNPUBLISH, article)
    elif public and later and (not was_public or article.published_at != old_published_at):
        when = timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M")
        audit.record(request, Entry.Action.SCHEDULE, article, f"for {when}")
    elif public and not was_public:
        audit.record(request, Entry.Action.PUBLISH, article)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(PhotoPickerMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "bio"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["photo", "user"]


class PhotoAdminForm(StoresImagesMixin, forms.ModelForm):
    """Re-encodes and stores the picture while validating: a full disk is a form error, not a 500."""

    class Meta:
        model = Photo
        fields = ["image", "focal_x", "focal_y", "alt_text", "caption", "credit"]
        field_classes = {"image": ImageUploadField}
        # Set by clicking the preview (newsroom-focal-point.js), or typed.
        widgets = {
            name: forms.NumberInput(attrs={"step": "0.001", "min": "0", "max": "1", "data-focal": axis})
            for name, axis in (("focal_x", "x"), ("focal_y", "y"))
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("focal_x", "focal_y"):
            if name in self.fields:  # a view-only page (no change permission) has no fields
                self.fields[name].required = False  # left empty: where it was (the centre, at first)

    def clean_focal_x(self):
        return self._focal("focal_x")

    def clean_focal_y(self):
        return self._focal("focal_y")

    def _focal(self, name):
        value = self.cleaned_data.get(name)
        return getattr(self.instance, name) if value is None else value


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoAdminForm
    list_display = ["preview", "caption_text", "credit", "dimensions", "uploaded_by", "uploaded_at"]
    list_display_links = ["preview", "caption_text"]
    search_fields = ["caption", "credit", "alt_text"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["preview_large", "width", "height", "uploaded_by", "uploaded_at"]
    fields = [
        "image",
        "preview_large",
        ("focal_x", "focal_y"),
        "alt_text",
        "caption",
        "credit",
        "width",
        "height",
        "uploaded_by",
        "uploaded_at",
    ]

    class Media:
        # Thumbnail styles: the Content Security Policy refuses style="" attributes.
        css = {"all": ["admin/newsroom-admin.css"]}
        js = ["admin/newsroom-focal-point.js"]

    @admin.display(description=_("photo"))
    def preview(self, obj):
        return thumbnail(obj, 100)

    @admin.display(description=_("preview"))
    def preview_large(self, obj):
        if not obj or not obj.image:
            return thumbnail(obj, 400)
        # A click on the picture sets the focal point; the marker shows it (newsroom-focal-point.js).
        image = format_html(
            '<div class="newsroom-focal" data-focal-picker title="{}">{}'
            '<span class="newsroom-focal__marker" data-focal-marker hidden></span></div>',
            _("Click what must stay in every crop"),
            thumbnail(obj, 400),
        )
        note = renditions_note(obj)
        return format_html('{}<p class="help">{}</p>', image, note) if note else image

    @admin.display(description=_("caption"), ordering="caption")
    def caption_text(self, obj):
        return str(obj)

    @admin.display(description=_("size"))
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}"

    def get_urls(self):
        image = path(
            "<int:pk>/image/", self.admin_site.admin_view(self.image_view), name="articles_photo_image"
        )
        # Checks as the admin's own autocomplete does (search fields, view permission).
        picker = path(
            "autocomplete/",
            self.admin_site.admin_view(PhotoAutocompleteJsonView.as_view(admin_site=self.admin_site)),
            name="articles_photo_autocomplete",
        )
        return [image, picker, *super().get_urls()]

    def image_view(self, request, pk):
        """The photo's file: lets the article form preview a photo as soon as it is chosen."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        return redirect(get_object_or_404(Photo, pk=pk).image.url)

    def save_model(self, request, obj, form, change):
        if not obj.uploaded_by_id:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        note = renditions_note(obj)
        if note:
            messages.info(request, note)

    # Reporters still see every photo (and pick any for a story); they change or delete only their
    # own uploads that no published story shows, since readers would see the change at once.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_alter(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_alter(request.user, obj)

    def _may_alter(self, user, photo):
        if photo is None or can_publish(user):
            return True
        return photo.uploaded_by_id == user.pk and not photo.in_published_story()


class ArticleAdminForm(forms.ModelForm):
    # The version the form was opened at: a save from an older one is refused (versions.py).
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "headline", "slug", "section", "dateline_place", "lead", "body", "main_photo",
            "authors", "tags", "allow_comments", "status", "published_at", "unpublish_at",
            "comments_premoderated", "comments_close_at",
        ]  # fmt: skip
        widgets = {
            # Wide, with a live count of characters (newsroom-counter.js).
            "headline": forms.TextInput(
                attrs={
                    "class": "vTextField newsroom-wide",
                    "data-count-limit": HEADLINE_SEARCH_LENGTH,
                    "data-count-hint": _("search results show about %(count)d characters")
                    % {"count": HEADLINE_SEARCH_LENGTH},
                }
            ),
            "lead": forms.Textarea(
                attrs={
                    "rows": 3,
                    "class": "newsroom-wide",
                    "data-count-limit": LEAD_SEARCH_LENGTH,
                    "data-count-hint": _("search results show about %(count)d characters")
                    % {"count": LEAD_SEARCH_LENGTH},
                }
            ),
            "body": forms.Textarea(attrs={"rows": 24, "class": "newsroom-monospace newsroom-wide"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version
        status = self.fields.get("status")
        if status is not None and not can_publish(self.request_user):
            # Reporters are offered Draft and Ready for review. Only the menu shrinks: "published"
            # posted by hand still passes the field, so that clean() refuses it in plain words.
            status.widget.choices = [
                choice for choice in status.choices if choice[0] != Article.Status.PUBLISHED
            ]

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if not slug or slug == self.instance.slug:
            return slug
        taken = self.instance.slug_taken_by(slug)
        if taken is None:
            return slug
        free = self.instance.free_slug(slug)
        # A new story's slug is filled in from its headline; a headline like another story's is
        # no reason to refuse it. (On a saved story the slug changes only when typed.)
        if not self.instance.pk and not self.data.get(SLUG_TYPED):
            return free
        other, old_link = taken
        if old_link:
            message = _(
                "Old links to the story “%(headline)s” use this slug, and must keep leading there. "
                "“%(free)s” is free."
            )
        else:
            message = _("The story “%(headline)s” already has this slug. “%(free)s” is free.")
        raise forms.ValidationError(
            message, code="slug_taken", params={"headline": other.headline, "free": free}
        )

    def clean(self):
        cleaned = super().clean()
        if can_publish(self.request_user):
            self._check_unpublish_time(cleaned)
        else:
            self._refuse_publishing()
        if self.instance.pk and not self.errors:
            self._check_version(cleaned)
        return cleaned

    def _refuse_publishing(self):
        # The raw data: the reporter's form has no time fields, and may have no status field.
        wants_published = self.data.get("status") == Article.Status.PUBLISHED
        was_published = self.instance.pk and self.instance.status == Article.Status.PUBLISHED
        sets_times = any(
            self.data.get(key) for name in PUBLISH_TIME_FIELDS for key in (name, f"{name}_0", f"{name}_1")
        )
        if wants_published or was_published or sets_times:
            self.add_error(
                "status" if "status" in self.fields else None,
                _(
                    "Only editors can publish or change a published story, or set its publication "
                    "times. Save it as a draft or mark it ready for review; your text is kept."
                ),
            )

    def _check_unpublish_time(self, cleaned):
        unpublish_at = cleaned.get("unpublish_at")
        published_at = cleaned.get("published_at")
        if published_at is None and cleaned.get("status") == Article.Status.PUBLISHED:
            published_at = timezone.now()  # what save() will set
        if unpublish_at and published_at and unpublish_at <= published_at:
            self.add_error(
                "unpublish_at",
                _("Choose a time after the publication time, or the story is never on the site."),
            )

    def _check_version(self, cleaned):
        """Refuse a save based on an older version; merge the other editor's changes into the form.

        Fields only they changed take their value; fields both changed keep what this editor
        typed. The form then carries the current version, so saving again saves the merge.
        """
        mine = versions.snapshot_of_form(cleaned, self.instance)
        self.conflict = versions.find_conflict(self.instance.pk, cleaned.get("base_version"), mine)
        if self.conflict is None:
            return
        self.add_error(None, forms.ValidationError(self.conflict.message, code="conflict"))
        stored = Article.objects.get(pk=self.instance.pk)
        data = self.data.copy()
        for name in self.conflict.taken:
            if name in self.fields:
                self._put(data, name, forms.models.model_to_dict(stored, [name]).get(name))
        data[self.add_prefix("base_version")] = str(stored.version)
        self.data = data

    def _put(self, data, name, value):
        """Write `value` into form data for field `name`, as its widget would have posted it."""
        field, key = self.fields[name], self.add_prefix(name)
        widget = getattr(field.widget, "widget", field.widget)  # under the admin's "+" wrapper
        value = field.prepare_value(value)
        if isinstance(widget, forms.MultiWidget):
            for suffix, part, sub in zip(
                widget.widgets_names, widget.decompress(value), widget.widgets, strict=True
            ):
                data[key + suffix] = sub.format_value(part) or ""
        elif isinstance(widget, forms.CheckboxInput):
            data.setlist(key, ["on"] if value else [])
        elif isinstance(widget, forms.SelectMultiple):
            data.setlist(key, [str(item) for item in value or ()])
        elif isinstance(widget, forms.Select):
            data[key] = "" if value is None else str(value)
        else:
            data[key] = widget.format_value(value) or ""


class StateFilter(admin.SimpleListFilter):
    """Where a story is in its life: the statuses, and published ones by the clock."""

    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            (Article.Status.DRAFT, Article.Status.DRAFT.label),
            (Article.Status.REVIEW, Article.Status.REVIEW.label),
            ("scheduled", _("Scheduled")),
            ("public", _("On the site")),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case Article.Status.DRAFT | Article.Status.REVIEW as status:
                return queryset.filter(status=status)
            case "scheduled":
                return queryset.scheduled()
            case "public":
                return queryset.filter(public())
            case "expired":
                return queryset.expired()
        return queryset


def short_time(moment):
    """ "18:00" today, "12 May, 18:00" another day this year, else with the year."""
    local, today = timezone.localtime(moment), timezone.localdate()
    if local.date() == today:
        return dateformat.format(local, "H:i")
    return dateformat.format(local, "j M, H:i" if local.year == today.year else "j M Y, H:i")


class CorrectionInline(admin.StackedInline):
    """Corrections print at the end of the story; saving one marks the story updated."""

    model = Correction
    extra = 0
    fields = ["date", "text"]
    classes = ["collapse"]


@admin.register(Article)
class ArticleAdmin(PhotoPickerMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    inlines = [CorrectionInline]
    # Short columns leave the headline room at 1280 pixels and on a tablet (newsroom-admin.css).
    list_display = ["headline", "list_thumbnail", "section", "state", "publication", "is_published"]
    list_filter = [StateFilter, "section", "published_at"]
    list_select_related = ["section", "main_photo"]
    search_fields = ["headline", "lead", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "main_photo", "authors"]
    readonly_fields = ["photo_preview", "short_link", "updated_at", "created_by", "created_at"]
    actions = ["publish", "unpublish", "pin_to_front_page"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["headline", "slug", "section", "dateline_place", "lead", "body", "base_version"]}),
        (_("Photo"), {"fields": ["main_photo", "photo_preview"]}),
        (_("Filing"), {"fields": ["authors", "tags", "allow_comments"]}),
        (
            _("Comments"),
            {"fields": ["comments_premoderated", "comments_close_at"], "classes": ["collapse"]},
        ),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "unpublish_at",
                    "updated_at",
                    "short_link",
                    "created_by",
                    "created_at",
                ]
            },
        ),
    ]

    class Media:
        css = {"all": ["admin/newsroom-admin.css"]}
        js = [
            "admin/newsroom-photo-preview.js",
            "admin/newsroom-slug.js",
            "admin/newsroom-conflict.js",
            "admin/newsroom-presence.js",
            "admin/newsroom-autosave.js",
            "admin/newsroom-counter.js",
        ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user):
            # Reporters never get controls they cannot use: the times are shown, not offered,
            # and so is the status of a story an editor has published.
            fields += PUBLISH_TIME_FIELDS
            if obj is not None and obj.status == Article.Status.PUBLISHED:
                fields.append("status")
        return fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

    def presence_view(self, request, object_id):
        """Who else has the story open (articles/presence.py). POST is the heartbeat, POST with
        `leave` the last call; GET hands a fresh CSRF token to a page whose editor signed in again."""
        if not self.has_view_or_change_permission(request):
            return presence.json_error(403, "forbidden", _("You may not open stories."))
        story = self.get_object(request, unquote(object_id))
        if story is None:
            return presence.json_error(404, "not_found", _("This story does not exist (any more)."))
        if not self.has_view_or_change_permission(request, story):
            return presence.json_error(403, "forbidden", _("You may not open this story."))
        if request.method == "GET":
            return JsonResponse({"token": get_token(request)})
        if request.method != "POST":
            return presence.json_error(405, "method", _("Only GET and POST are allowed."))
        if "leave" in request.POST:
            presence.leave(story.pk, request.user)
            return JsonResponse({"editors": []})
        return JsonResponse(presence.as_json(presence.heartbeat(story.pk, request.user)))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if can_publish(request.user):
            return queryset
        # Reporters see their own stories and those they are bylined on.
        return queryset.filter(Q(created_by=request.user) | Q(authors__user=request.user)).distinct()

    @admin.display(description=_("photo"))
    def list_thumbnail(self, obj):
        return thumbnail(obj.main_photo, 60)

    @admin.display(description=_("photo preview"))
    def photo_preview(self, obj):
        # Always drawn, hidden while no photo is chosen: newsroom-photo-preview.js swaps it.
        photo = obj.main_photo if obj else None
        return format_html(
            '<img src="{}" alt="" width="320" class="newsroom-thumb" data-photo-preview="{}"{}>',
            photo.image.url if photo else "",
            reverse("admin:articles_photo_image", args=[0]),
            " hidden" if photo is None else "",
        )

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj):
        if obj.is_expired:
            return _("Expired at %(time)s") % {"time": short_time(obj.unpublish_at)}
        if obj.is_scheduled:
            return _("Scheduled for %(time)s") % {"time": short_time(obj.published_at)}
        return obj.get_status_display()

    @admin.display(description=_("published"), ordering="published_at")
    def publication(self, obj):
        # Date over time: a narrow column where "Nov. 30, 2026, 12:19 a.m." took a wide one.
        if not obj.published_at:
            return "—"
        local = timezone.localtime(obj.published_at)
        return format_html("{}<br>{}", date_format(local, "DATE_FORMAT"), date_format(local, "TIME_FORMAT"))

    @admin.display(description=_("public"), boolean=True)
    def is_published(self, obj):
        return obj.is_published

    @admin.display(description=_("short URL"))
    def short_link(self, obj):
        if not obj.short_code:
            return _("Given when the story is first saved.")
        return format_html('<a href="{0}">{0}</a>', obj.get_short_path())

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        # Only a story readers could already see gets "Updated"; publishing an edited draft does not.
        published_at = form.initial.get("published_at")
        unpublish_at = form.initial.get("unpublish_at")
        now = timezone.now()
        was_public = (
            change
            and form.initial.get("status") == Article.Status.PUBLISHED
            and published_at is not None
            and published_at <= now
            and (unpublish_at is None or now < unpublish_at)
        )
        if was_public and obj.is_published and obj.is_past_update_grace(now) and reader_visible_change(form):
            obj.updated_at = now
        # The version written on save holds the authors and tags the form is about to save.
        obj.relations_for_next_version(
            form.cleaned_data.get("authors", obj.authors.all() if change else []),
            form.cleaned_data.get("tags", obj.tags.names() if change else []),
        )
        obj._history_user = request.user
        was_in_review = change and form.initial.get("status", obj.status) == Article.Status.REVIEW
        super().save_model(request, obj, form, change)
        if obj.status == Article.Status.REVIEW and not was_in_review:
            changelist = reverse("admin:articles_article_changelist")
            services.notify_review(
                obj,
                request.user,
                story_url=request.build_absolute_uri(reverse("admin:articles_article_change", args=[obj.pk])),
                queue_url=request.build_absolute_uri(f"{changelist}?state={Article.Status.REVIEW}"),
            )
        record_publishing(request, obj, form.initial.get("status"), published_at)

    def action_checkbox(self, obj):
        # Each row carries the version the list showed: actions skip stories saved since.
        return format_html(
            '{}<input type="hidden" name="_version_{}" value="{}">',
            super().action_checkbox(obj),
            obj.pk,
            obj.version,
        )

    def _unchanged_since_listed(self, request, queryset):
        """The stories of `queryset` still at the version the list showed; a warning for the rest."""
        fresh, stale = [], []
        for article in queryset:
            seen = request.POST.get(f"_version_{article.pk}")
            (stale if seen and seen != str(article.version) else fresh).append(article)
        for article in stale:
            latest = article.history.order_by("-version").select_related("history_user").first()
            self.message_user(
                request,
                _(
                    "“%(headline)s” was saved by %(name)s at %(time)s, after this list was loaded: "
                    "left as it is. Reload the list to see it and try again."
                )
                % {
                    "headline": article.headline,
                    "name": versions.editor_name(latest.history_user if latest else None),
                    "time": date_format(timezone.localtime(latest.history_date), "DATETIME_FORMAT")
                    if latest
                    else "—",
                },
                messages.WARNING,
            )
        return fresh

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/presence/",
                presence.signed_in_json(self.admin_site, self.presence_view),
                name="articles_article_presence",
            ),
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/history/<int:history_id>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def _story_for_history(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def history_view(self, request, object_id, extra_context=None):
        """Every version of the story, newest first, with what each changed."""
        article = self._story_for_history(request, object_id)
        records = list(article.history.select_related("history_user").order_by("-version", "-history_id"))
        for record in records:
            record.saved_by = versions.editor_name(record.history_user)
        rows = [
            (record, versions.record_changes(record, previous))
            for record, previous in zip(records, [*records[1:], None], strict=True)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %s") % article,
            "subtitle": None,
            "opts": self.opts,
            "object": article,
            "rows": rows,
            "can_restore": self._may_restore(request, article),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/articles/article/versions.html", context)

    def compare_view(self, request, object_id):
        """Two versions field by field, words removed and added marked (?old=<id>&new=<id>)."""
        article = self._story_for_history(request, object_id)
        history = article.history.select_related("history_user")
        try:
            new = history.get(history_id=int(request.GET.get("new", "")))
            old_id = request.GET.get("old")
            old = (
                history.get(history_id=int(old_id))
                if old_id
                else (history.filter(version__lt=new.version).order_by("-version").first())
            )
        except (ValueError, article.history.model.DoesNotExist):
            raise Http404 from None
        changes = versions.record_changes(new, old) if old else []
        for record in (old, new):
            if record is not None:
                record.saved_by = versions.editor_name(record.history_user)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare versions: %s") % article,
            "subtitle": None,
            "opts": self.opts,
            "object": article,
            "old": old,
            "new": new,
            "versions": [old, new],
            "changes": changes,
            "can_restore": self._may_restore(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def _may_restore(self, request, article):
        if not self.has_change_permission(request, article):
            return False
        return can_publish(request.user) or article.status != Article.Status.PUBLISHED

    def restore_view(self, request, object_id, history_id):
        """Make an old version current again, as a new version (POST only)."""
        article = self._story_for_history(request, object_id)
        record = get_object_or_404(article.history, history_id=history_id)
        if request.method != "POST":
            return redirect("admin:articles_article_history", article.pk)
        if not self._may_restore(request, article) or (
            record.status == Article.Status.PUBLISHED and not can_publish(request.user)
        ):
            raise PermissionDenied
        try:
            restored = versions.restore(record, request.user)
        except versions.RestoreError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect("admin:articles_article_history", article.pk)
        self.log_change(request, restored, _("Restored version %(version)s.") % {"version": record.version})
        audit.record(
            request, Entry.Action.RESTORE, restored, f"version {record.version} as version {restored.version}"
        )
        record_publishing(request, restored, article.status, article.published_at)
        self.message_user(
            request,
            _("Version %(old)s is restored as version %(new)s. The versions in between are kept.")
            % {"old": record.version, "new": restored.version},
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", restored.pk)

    def view_on_site(self, obj):
        # Drafts open in preview: the article view lets staff see them.
        return obj.get_absolute_url()

    @admin.action(description=_("Publish selected stories now"), permissions=["publish"])
    def publish(self, request, queryset):
        count = 0
        for article in self._unchanged_since_listed(
            request, queryset.exclude(status=Article.Status.PUBLISHED)
        ):
            old_status, article.status = article.status, Article.Status.PUBLISHED
            if not article.published_at:
                article.published_at = timezone.now()
            article.save()
            record_publishing(request, article, old_status, article.published_at)
            count += 1
        self.message_user(
            request,
            ngettext("%d story published.", "%d stories published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected stories (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        # save(), not update(): the signals it sends drop the cached pages that show the story.
        count = 0
        for article in self._unchanged_since_listed(
            request, queryset.filter(status=Article.Status.PUBLISHED)
        ):
            article.status = Article.Status.DRAFT
            article.save()
            audit.record(request, Entry.Action.UNPUBLISH, article)
            count += 1
        self.message_user(
            request,
            ngettext("%d story unpublished.", "%d stories unpublished.", count) % count,
            messages.SUCCESS,
        )

    # Actions marked permissions=["publish"] are left out for users without it: reporters.
    def has_publish_permission(self, request):
        return can_publish(request.user)

    @admin.action(description=_("Pin to the front page"), permissions=["pin"])
    def pin_to_front_page(self, request, queryset):
        """Puts the selected public stories into the front page's free slots, newest first."""
        stories = list(queryset.filter(status=Article.Status.PUBLISHED).order_by("-published_at", "-pk"))
        pinned, full = pin_stories(stories, request.user)
        if pinned:
            self.message_user(
                request,
                ngettext(
                    "%(count)d story pinned to the front page (slot %(slots)s).",
                    "%(count)d stories pinned to the front page (slots %(slots)s).",
                    len(pinned),
                )
                % {"count": len(pinned), "slots": ", ".join(str(slot.position) for slot in pinned)},
                messages.SUCCESS,
            )
        if full:
            self.message_user(
                request,
                _("No free slot on the front page for: %(headlines)s. Unpin a story first.")
                % {"headlines": "; ".join(story.headline for story in full)},
                messages.WARNING,
            )
        if drafts := queryset.count() - len(stories):
            self.message_user(
                request,
                ngettext(
                    "%d story is not published and was not pinned.",
                    "%d stories are not published and were not pinned.",
                    drafts,
                )
                % drafts,
                messages.WARNING,
            )

    def has_pin_permission(self, request):
        return request.user.has_perm("articles.add_frontpageslot")


def pin_stories(stories, user):
    """Pins `stories` into the free front-page slots in order: (slots filled, stories left over).

    Stories pinned already keep their slot. An expired pin's row is reused or cleared.
    """
    pinned, full = [], []
    try:
        with transaction.atomic():
            active = {slot.article_id: slot for slot in FrontPageSlot.objects.active()}
            free = FrontPageSlot.objects.free_positions()
            for story in stories:
                if story.pk in active:
                    pinned.append(active[story.pk])
                    continue
                if not free:
                    full.append(story)
                    continue
                position = free.pop(0)
                FrontPageSlot.objects.filter(position=position).exclude(article=story).delete()
                slot, _created = FrontPageSlot.objects.update_or_create(
                    article=story, defaults={"position": position, "pinned_until": None, "pinned_by": user}
                )
                pinned.append(slot)
    except IntegrityError:
        # Another editor filled the same slot at the same moment: nothing was changed.
        return [], list(stories)
    return pinned, full


@admin.register(FrontPageSlot)
class FrontPageSlotAdmin(admin.ModelAdmin):
    """The front page's lead slots. Editors only: the Editors group holds these permissions."""

    list_display = ["position", "article", "pinned_until", "is_active", "pinned_by"]
    list_display_links = ["position", "article"]
    list_select_related = ["article", "pinned_by"]
    autocomplete_fields = ["article"]
    fields = ["position", "article", "pinned_until"]

    @admin.display(description=_("on the front page now"), boolean=True)
    def is_active(self, obj):
        return obj.is_active

    def get_changeform_initial_data(self, request):
        free = FrontPageSlot.objects.free_positions()
        return {"position": free[0] if free else None, **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        obj.pinned_by = request.user
        super().save_model(request, obj, form, change)


# Tags: taggit's admin, but a reporter sees only the tags of public stories and of stories they can
# see (a draft's tags may name what is embargoed), and only editors merge tags.
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(taggit_admin.TagAdmin):
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if can_publish(request.user):
            return queryset
        seen = Article.objects.filter(public() | Q(created_by=request.user) | Q(authors__user=request.user))
        return queryset & tags_in_use(seen)

    def get_inlines(self, request, obj):
        # The tagged items name every story that carries the tag, drafts of others included.
        return super().get_inlines(request, obj) if can_publish(request.user) else []

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if not (self.has_change_permission(request) and self.has_delete_permission(request)):
            actions.pop("render_tag_form", None)
        return actions

    def merge_tags_view(self, request):
        if not (self.has_change_permission(request) and self.has_delete_permission(request)):
            raise PermissionDenied
        return super().merge_tags_view(request)
