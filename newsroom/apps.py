from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project's own glue: cached fragments are dropped when what they show changes."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from . import fragments

        fragments.connect()
