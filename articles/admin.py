from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.images import ImageUploadField, StoresImagesMixin

from .models import Article, Author, Correction, FrontPageSlot, Photo, Section

# Changes to these fields of a public story make it show "Updated …".
CONTENT_FIELDS = {"headline", "lead", "body", "main_photo", "dateline_place"}
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
        fields = ["image", "alt_text", "caption", "credit"]
        field_classes = {"image": ImageUploadField}


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

    @admin.display(description=_("photo"))
    def preview(self, obj):
        return thumbnail(obj, 100)

    @admin.display(description=_("preview"))
    def preview_large(self, obj):
        return thumbnail(obj, 400)

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


class ArticleAdminForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "headline", "slug", "section", "dateline_place", "lead", "body", "main_photo",
            "authors", "tags", "allow_comments", "status", "published_at",
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

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if slug and slug in self.instance.old_link_slugs(slug):
            raise forms.ValidationError(
                _("Old links to another story use this slug. Choose a different one."), code="old_link"
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        user = self.request_user
        wants_published = cleaned.get("status") == Article.Status.PUBLISHED
        was_published = self.instance.pk and self.initial.get("status") == Article.Status.PUBLISHED
        if not can_publish(user) and (wants_published or was_published):
            self.add_error(
                "status",
                _(
                    "Only editors can publish or change a published story. Save it as a draft "
                    "and ask an editor to publish it; your text is kept."
                ),
            )
        return cleaned


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
    list_display = ["headline", "list_thumbnail", "section", "status", "publication", "is_published"]
    list_filter = ["status", "section", "published_at"]
    list_select_related = ["section", "main_photo"]
    search_fields = ["headline", "lead", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "main_photo", "authors"]
    readonly_fields = ["photo_preview", "short_link", "updated_at", "created_by", "created_at"]
    actions = ["publish", "unpublish", "pin_to_front_page"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["headline", "slug", "section", "dateline_place", "lead", "body"]}),
        (_("Photo"), {"fields": ["main_photo", "photo_preview"]}),
        (_("Filing"), {"fields": ["authors", "tags", "allow_comments"]}),
        (
            _("Comments"),
            {"fields": ["comments_premoderated", "comments_close_at"], "classes": ["collapse"]},
        ),
        (
            _("Publishing"),
            {"fields": ["status", "published_at", "updated_at", "short_link", "created_by", "created_at"]},
        ),
    ]

    class Media:
        css = {"all": ["admin/newsroom-admin.css"]}
        js = ["admin/newsroom-photo-preview.js", "admin/newsroom-counter.js"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.request_user = request.user
        return form

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
        was_public = (
            change
            and form.initial.get("status") == Article.Status.PUBLISHED
            and published_at is not None
            and published_at <= timezone.now()
        )
        if was_public and obj.is_published and CONTENT_FIELDS & set(form.changed_data):
            obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        # Drafts open in preview: the article view lets staff see them.
        return obj.get_absolute_url()

    @admin.action(description=_("Publish selected stories now"), permissions=["publish"])
    def publish(self, request, queryset):
        count = 0
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            article.status = Article.Status.PUBLISHED
            if not article.published_at:
                article.published_at = timezone.now()
            article.save()
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
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article.save()
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
