from django.urls import path

from . import stream, views

app_name = "comments"

urlpatterns = [
    path("comments/<int:article_id>/post/", views.post, name="post"),
    path("comments/<int:article_id>/new/", views.new_comments, name="new"),
    # Served by the ASGI server (comments/stream.py) before Django sees it; this answers elsewhere.
    path("comments/<int:article_id>/stream/", stream.unavailable, name="stream"),
    path("comments/<int:comment_id>/", views.permalink, name="permalink"),
    path("comments/<int:comment_id>/report/", views.report, name="report"),
    path("community-standards/", views.community_standards, name="standards"),
]
