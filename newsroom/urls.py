from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles.views import serve_media

admin.site.site_header = f"{settings.SITE_NAME} newsroom"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "Desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

handler404 = "articles.views.page_not_found"
handler500 = "articles.views.server_error"

if settings.MEDIA_URL.startswith("/"):
    # Development and tests only: production serves media from nginx or object storage.
    urlpatterns.insert(0, path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media"))
