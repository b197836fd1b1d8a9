from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

# Editors run the front page; reporters get none of these.
PERMISSIONS = ["add_frontpageslot", "change_frontpageslot", "delete_frontpageslot", "view_frontpageslot"]


def grant_editors(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the group can hold them.
    create_permissions(global_apps.get_app_config("articles"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="articles", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="articles", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_front_page_slot")]

    operations = [migrations.RunPython(grant_editors, revoke)]
