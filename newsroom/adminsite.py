"""The admin's site: the desk's apps first, readers' accounts grouped at the end of the index."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

# What editors work in all day, in this order, at the top of the index.
DESK_APPS = ["articles", "comments", "taggit", "audit", "pages"]
# Readers' accounts and how they sign in: one group, last.
READER_APPS = ["accounts", "account", "socialaccount", "mfa", "usersessions"]


class NewsroomAdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label:  # one app's own index page: as it is
            return apps
        desk = sorted(
            (app for app in apps if app["app_label"] in DESK_APPS),
            key=lambda app: DESK_APPS.index(app["app_label"]),
        )
        readers = [app for app in apps if app["app_label"] in READER_APPS]
        rest = [app for app in apps if app["app_label"] not in DESK_APPS + READER_APPS]
        if readers:
            first = next((app for app in readers if app["app_label"] == "accounts"), readers[0])
            models = sorted((model for app in readers for model in app["models"]), key=lambda m: m["name"])
            readers = [{**first, "name": _("Readers and accounts"), "models": models}]
        return desk + rest + readers


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.adminsite.NewsroomAdminSite"
