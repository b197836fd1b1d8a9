from django.contrib import admin

from .models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "has_avatar", "updated_at"]
    search_fields = ["display_name", "user__username", "user__email"]
    autocomplete_fields = ["user"]

    @admin.display(boolean=True, description="avatar")
    def has_avatar(self, obj):
        return bool(obj.avatar)
