"""The Jinja2 environment of the site's pages (Django's own Jinja2 backend; settings.TEMPLATES).

Reader pages are drawn with Jinja2: it renders them several times faster than Django's template
language (docs/performance.md). Django's admin and django-allauth's pages keep Django templates.

Apps add their own template functions in a `templating` module with TEMPLATE_GLOBALS and
TEMPLATE_FILTERS; the settings list those modules (OPTIONS["helpers"]), in floor order, so this
module imports no other project code.
"""

from importlib import import_module

from django.contrib.messages import get_messages
from django.template.defaultfilters import date, linebreaksbr, truncatechars
from django.templatetags.static import static
from django.utils import dateformat, timezone
from django.utils.translation import get_language, gettext, ngettext, npgettext, pgettext
from jinja2 import Environment

from .dates import dateline, iso
from .links import site_url


def now(format_string):
    """The current time in the site's time zone, formatted as Django's {% now %} does."""
    return dateformat.format(timezone.localtime(), format_string)


def page_url(request, number, name="page"):
    """This page's link with ?<name>= replaced by `number`, the other query parameters kept."""
    query = request.GET.copy()
    if number == 1:
        query.pop(name, None)
    else:
        query[name] = number
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else request.path


TEMPLATE_GLOBALS = {
    "url": site_url,
    "static": static,
    "now": now,
    "get_language": get_language,
    "get_messages": get_messages,
    "page_url": page_url,
}
TEMPLATE_FILTERS = {
    # Django's own: `period|date("F Y")`, month names in the site's language.
    "date": date,
    "dateline": dateline,
    "iso": iso,
    "truncatechars": truncatechars,
    "linebreaksbr": linebreaksbr,
}


def environment(*, helpers=(), **options):
    # Always escaped, whatever the settings say: every page is HTML.
    options["autoescape"] = True
    env = Environment(  # noqa: S701 - autoescape is in `options`, set just above
        extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True, **options
    )
    # Django's translations: {{ _("...") }}, {% trans %}...{% endtrans %}, in the active language.
    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext)
    for path in ("core.jinja2", *helpers):
        module = import_module(path)
        env.globals.update(getattr(module, "TEMPLATE_GLOBALS", {}))
        env.filters.update(getattr(module, "TEMPLATE_FILTERS", {}))
    return env
