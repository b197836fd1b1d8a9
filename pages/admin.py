from django.contrib import admin

from .models import Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["url", "title", "updated_at"]
    search_fields = ["url", "title", "content"]
    fields = ["url", "title", "content"]
