"""The site's URLs plus /bench/minimal/<pk>/: the story page as a beginner would write it.

The reference ("a minimal Django view rendering the 50-comment article page") that the story page
is measured against: the same story, the same 50 comments, one plain template
(benchmarks/templates/bench/minimal_story.html), three queries, no cache of any kind.
"""

from django.shortcuts import get_object_or_404, render
from django.urls import path

from articles.models import Article, Section
from comments.models import Comment
from newsroom.urls import handler404, handler500  # noqa: F401
from newsroom.urls import urlpatterns as site_urls


def minimal(request, pk):
    article = get_object_or_404(Article.objects.published().select_related("section", "main_photo"), pk=pk)
    sections = list(Section.objects.all())
    comments = list(
        Comment.objects.filter(article=article, status=Comment.Status.PUBLISHED).order_by(
            "published_at", "id"
        )[:50]
    )
    return render(
        request,
        "bench/minimal_story.html",
        {"article": article, "sections": sections, "comments": comments},
    )


urlpatterns = [path("bench/minimal/<int:pk>/", minimal), *site_urls]
