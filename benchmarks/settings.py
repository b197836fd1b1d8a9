"""The production settings plus one URL and its template: a minimal Django view, the baseline."""

from pathlib import Path

from newsroom.settings import *  # noqa: F403
from newsroom.settings import TEMPLATES as SITE_TEMPLATES

ROOT_URLCONF = "benchmarks.urls"
# The minimal view's page is a Django template, as a beginner's would be.
JINJA2, DJANGO = SITE_TEMPLATES
TEMPLATES = [JINJA2, {**DJANGO, "DIRS": [Path(__file__).resolve().parent / "templates"]}]
