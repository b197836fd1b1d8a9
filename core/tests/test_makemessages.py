"""makemessages finds the strings of the Jinja2 templates, and the catalog has every one."""

import gettext
from pathlib import Path

from django.conf import settings
from django.template import engines

from core.management.commands.makemessages import as_python, jinja2_engine_for

CATALOG = settings.BASE_DIR / "locale" / "ru" / "LC_MESSAGES" / "django.mo"


def test_each_string_becomes_a_call_on_its_own_line():
    env = engines["jinja2"].env
    source = (
        "<p>{{ _('Plain') }}</p>\n"
        "{% trans name=x %}Hello {{ name }}{% endtrans %}\n"
        "{% trans counter=n %}{{ counter }} story{% pluralize %}{{ counter }} stories{% endtrans %}\n"
    )

    lines = as_python(source, env).splitlines()

    assert lines[0] == "gettext('Plain'); "
    assert lines[1] == "gettext('Hello %(name)s'); "
    assert lines[2] == "ngettext('%(counter)s story', '%(counter)s stories', 1); "


def test_only_the_jinja2_templates_are_read_as_jinja2():
    assert jinja2_engine_for(settings.BASE_DIR / "templates" / "base.html") is not None
    assert (
        jinja2_engine_for(settings.BASE_DIR / "accounts" / "templates" / "allauth" / "layouts" / "base.html")
        is None
    )


def test_the_catalog_has_every_string_of_the_jinja2_templates():
    env = engines["jinja2"].env
    with CATALOG.open("rb") as compiled:
        russian = gettext.GNUTranslations(compiled)
    missing = []
    for path in sorted(Path(settings.BASE_DIR / "templates").rglob("*")):
        if path.is_file():
            for _line, function, message in env.extract_translations(path.read_text(encoding="utf-8")):
                strings = [s for s in (message if isinstance(message, tuple) else (message,)) if s]
                if function == "ngettext":
                    translated = russian.ngettext(strings[0], strings[1], 5) != strings[1]
                else:
                    translated = russian.gettext(strings[0]) != strings[0]
                if not translated:
                    missing.append((path.name, strings[0]))
    assert not missing, f"Run makemessages, translate, then compilemessages: {missing}"
