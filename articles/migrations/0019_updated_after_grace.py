from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.db.models import F


def forget_first_fixes(apps, schema_editor):
    """Stories edited within UPDATED_GRACE_MINUTES of publication were marked "Updated": no more."""
    Article = apps.get_model("articles", "Article")
    grace = timedelta(minutes=settings.UPDATED_GRACE_MINUTES)
    Article.objects.filter(updated_at__isnull=False, updated_at__lt=F("published_at") + grace).update(
        updated_at=None
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_search_extra_and_stemming")]

    # Nothing to restore: the times cleared were never shown as updates.
    operations = [migrations.RunPython(forget_first_fixes, migrations.RunPython.noop)]
