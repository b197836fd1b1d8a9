from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Invented stories, photos, readers and comments for a new site: `manage.py seed_demo`."""

    name = "demo"
    verbose_name = "Demo content"
