"""Django templates that show parts of the site drawn by Jinja2: django-allauth's pages in the
site's frame (accounts/templates/allauth/layouts/base.html) share its masthead and footer."""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context, template_name):
    """The Jinja2 template `template_name`, drawn with this page's request and variables."""
    request = context.get("request")
    rendered = engines["jinja2"].get_template(template_name).render(context.flatten(), request)
    return mark_safe(rendered)  # noqa: S308 - a template's output, escaped as it was drawn
