from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers too: the log is worth something only if nobody edits it."""

    list_display = ["created_at", "who", "action", "object_repr", "detail", "ip_address"]
    list_filter = ["action", ("user", admin.RelatedOnlyFieldListFilter), "created_at", "content_type"]
    search_fields = ["object_repr", "object_id", "detail", "username", "ip_address"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    list_per_page = 100

    @admin.display(description=_("who"), ordering="username")
    def who(self, obj):
        return obj.username or _("system")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
