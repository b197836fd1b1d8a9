from django.urls import path, register_converter

from . import feeds, views

app_name = "articles"


class TagSlugConverter:
    """Tag slugs keep their letters: taggit makes "дипломатия" of the tag "Дипломатия"."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TagSlugConverter, "tagslug")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("s/<str:code>", views.short_url, name="short"),
    path("tag/<tagslug:slug>/", views.TagView.as_view(), name="tag"),
    path("author/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("beacon/view/", views.view_beacon, name="view_beacon"),
    path("feeds/rss/", feeds.StoryFeed(), name="feed_rss"),
    path("feeds/atom/", feeds.AtomFeed(), name="feed_atom"),
    path("feeds/section/<slug:slug>/rss/", feeds.SectionFeed(), name="section_feed_rss"),
    path("feeds/section/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("feeds/tag/<tagslug:slug>/rss/", feeds.TagFeed(), name="tag_feed_rss"),
    path("feeds/tag/<tagslug:slug>/atom/", feeds.TagAtomFeed(), name="tag_feed_atom"),
    path("archive/", views.ArchiveIndexView.as_view(), name="archive"),
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
