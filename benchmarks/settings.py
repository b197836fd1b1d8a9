"""The production settings plus one URL and its template: a minimal Django view, the baseline."""

from pathlib import Path

from newsroom.settings import *  # noqa: F403
from newsroom.settings import TEMPLATES as SITE_TEMPLATES

ROOT_URLCONF = "benchmarks.urls"
TEMPLATES = [
    {
        **SITE_TEMPLATES[0],
        "DIRS": [*SITE_TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"],
    },
    *SITE_TEMPLATES[1:],
]
