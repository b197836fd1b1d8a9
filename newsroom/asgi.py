"""The ASGI application: what uvicorn serves (docs/deploy.md). nginx sends it the live comment
streams (comments/stream.py); it can serve the pages too, through Django, as gunicorn does."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django_application = get_asgi_application()

from comments.stream import with_stream  # noqa: E402 - needs the settings and apps set up above

application = with_stream(django_application)
