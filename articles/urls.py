from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("s/<str:code>", views.short_url, name="short"),
    path("tag/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("archive/<int:year>/", views.ArchiveView.as_view(), name="archive_year"),
    path("archive/<int:year>/<int:month>/", views.ArchiveView.as_view(), name="archive_month"),
    path("archive/<int:year>/<int:month>/<int:day>/", views.ArchiveView.as_view(), name="archive_day"),
    path(
        "<slug:section>/<int:year>/<str:month>/<str:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("<slug:slug>/", views.SectionView.as_view(), name="section"),
]
