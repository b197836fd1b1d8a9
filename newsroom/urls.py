from allauth.account.views import login as allauth_login
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts.signin import protect_admin_login
from articles.sitemaps import SITEMAPS, NewsSitemap
from core.caching import csrf_token
from core.security import throttled_login_view
from core.views import root_icon, serve_media, web_app_manifest

admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = _("Desk")
# The index with the editors' review queue on top (articles/templatetags/desk.py).
admin.site.index_template = "admin/articles/desk_index.html"
# Staff sign in through allauth's page, like readers: its second factor cannot be skipped
# (accounts/signin.py), and repeated failed logins get 429 for a while (core/security.py).
protect_admin_login(admin.site)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("csrf/", csrf_token, name="csrf_token"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("favicon.ico", root_icon, {"name": "favicon.ico"}, name="favicon"),
    path("apple-touch-icon.png", root_icon, {"name": "apple-touch-icon.png"}, name="apple_touch_icon"),
    path("manifest.webmanifest", web_app_manifest, name="manifest"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        sitemap_views.sitemap,
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="sitemap_news",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
    # Readers' accounts: our profile page, then django-allauth's sign-up, log-in and the rest.
    path("accounts/profile/", include("accounts.urls")),
    path("accounts/login/", throttled_login_view(allauth_login)),  # the same view, answering 429
    path("accounts/", include("allauth.urls")),
    # The content API (api/): before the articles' URLs, whose section pattern takes any slug.
    path("api/", include("api.urls")),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

# None of them reads the request's body: it may be what was wrong (core/views.py).
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

if settings.MEDIA_URL.startswith("/"):
    # Development and tests only: production serves media from nginx or object storage.
    urlpatterns.insert(0, path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media"))
