"""The production settings plus one URL: a minimal Django view, the benchmark's baseline."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
