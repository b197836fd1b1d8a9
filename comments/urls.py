from django.urls import path

from . import notification_views, stream, views

app_name = "comments"

urlpatterns = [
    path("comments/<int:article_id>/post/", views.post, name="post"),
    path("comments/<int:article_id>/new/", views.new_comments, name="new"),
    # Served by the ASGI server (comments/stream.py) before Django sees it; this answers elsewhere.
    path("comments/<int:article_id>/stream/", stream.unavailable, name="stream"),
    path("comments/<int:comment_id>/", views.permalink, name="permalink"),
    path("comments/<int:comment_id>/report/", views.report, name="report"),
    path("comments/<int:comment_id>/reply/", views.reply, name="reply"),
    path("comments/<int:comment_id>/edit/", views.edit, name="edit"),
    path("comments/<int:comment_id>/delete/", views.delete, name="delete"),
    path("comments/replies/confirm/<str:token>/", notification_views.confirm, name="confirm_replies"),
    path("comments/replies/stop/<str:token>/", notification_views.unsubscribe, name="unsubscribe_replies"),
    path("community-standards/", views.community_standards, name="standards"),
]
