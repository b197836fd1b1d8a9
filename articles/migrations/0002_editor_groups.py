from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER_PERMS = [
    ("articles", "add_article"), ("articles", "change_article"), ("articles", "view_article"),
    ("articles", "add_photo"), ("articles", "change_photo"), ("articles", "view_photo"),
    ("articles", "view_section"), ("articles", "view_author"),
    ("taggit", "add_tag"), ("taggit", "view_tag"),
]
EDITOR_PERMS = REPORTER_PERMS + [
    ("articles", "publish_article"), ("articles", "delete_article"), ("articles", "delete_photo"),
    ("articles", "add_section"), ("articles", "change_section"),
    ("articles", "add_author"), ("articles", "change_author"),
    ("taggit", "change_tag"), ("taggit", "delete_tag"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the groups can hold them.
    for app_label in ("articles", "taggit"):
        create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in (("Reporters", REPORTER_PERMS), ("Editors", EDITOR_PERMS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reporters", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
