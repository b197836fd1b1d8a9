from django.http import HttpResponse
from django.template import engines
from django.urls import path

from articles.models import Article, Section
from comments.models import Comment
from newsroom.urls import handler404, handler500  # noqa: F401
from newsroom.urls import urlpatterns as site_urls

PAGE = engines["django"].from_string(
    "<!doctype html><title>{{ article.headline }}</title><h1>{{ article.headline }}</h1>"
    "<ul>{% for name in sections %}<li>{{ name }}</li>{% endfor %}</ul><p>{{ comments }} comments</p>"
)


def minimal(request):
    """Three queries and a small template: about the least a Django page can do."""
    article = Article.objects.published().order_by("-published_at").values("pk", "headline").first()
    sections = list(Section.objects.values_list("name", flat=True))
    comments = Comment.objects.filter(article_id=article["pk"]).count()
    return HttpResponse(PAGE.render({"article": article, "sections": sections, "comments": comments}))


urlpatterns = [path("bench/minimal/", minimal), *site_urls]
