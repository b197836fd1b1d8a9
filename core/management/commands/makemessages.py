"""makemessages that also finds the strings of the Jinja2 templates (settings.TEMPLATES).

Django reads templates as Django templates, whose {% translate %} tags Jinja2 does not have. For
a file in the Jinja2 engine's folders, this asks Jinja2 itself (its i18n extension) for the
strings and hands xgettext each as a gettext() call on the line where the template has it.
"""

from pathlib import Path

from django.core.management.commands import makemessages
from django.template import engines
from django.template.backends.jinja2 import Jinja2


def jinja2_engine_for(path):
    """The Jinja2 engine whose templates folder holds `path`, if any."""
    path = Path(path).resolve()
    for engine in engines.all():
        if isinstance(engine, Jinja2) and any(path.is_relative_to(d) for d in engine.template_dirs):
            return engine
    return None


def as_python(source, env):
    """A Python file with the template's translatable strings as calls, at the template's lines."""
    lines = [""] * (source.count("\n") + 1)
    for lineno, function, message in env.extract_translations(source):
        function = "gettext" if function == "_" else function
        # The strings among the call's arguments (None stands for any other argument).
        strings = [s for s in (message if isinstance(message, tuple) else (message,)) if isinstance(s, str)]
        arguments = ", ".join(map(repr, strings)) + (
            ", 1" if function.startswith(("ngettext", "npgettext")) else ""
        )
        lines[lineno - 1] += f"{function}({arguments}); "
    return "\n".join(lines) + "\n"


class BuildFile(makemessages.BuildFile):
    def preprocess(self):
        engine = jinja2_engine_for(self.path) if self.is_templatized else None
        if engine is None:
            return super().preprocess()
        source = Path(self.path).read_text(encoding="utf-8")
        Path(self.work_path).write_text(as_python(source, engine.env), encoding="utf-8")


class Command(makemessages.Command):
    build_file_class = BuildFile
