"""The admin index's review queue (articles/templates/admin/articles/desk_index.html)."""

from django import template
from django.urls import reverse

from ..models import Article

register = template.Library()


@register.inclusion_tag("admin/articles/review_queue.html", takes_context=True)
def review_queue(context):
    """Stories waiting for an editor, and stories scheduled: for editors only, in one query."""
    user = context["request"].user
    if not user.has_perm("articles.publish_article"):
        return {"counts": None}
    changelist = reverse("admin:articles_article_changelist")
    return {
        "counts": Article.objects.desk_counts(),
        "review_url": f"{changelist}?state={Article.Status.REVIEW}",
        "scheduled_url": f"{changelist}?state=scheduled",
    }
