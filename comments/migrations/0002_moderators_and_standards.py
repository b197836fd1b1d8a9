from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMS = [
    ("comments", "view_comment"), ("comments", "change_comment"), ("comments", "moderate_comment"),
    ("comments", "view_commentreport"),
    ("comments", "view_bannedword"), ("comments", "add_bannedword"), ("comments", "change_bannedword"),
    ("comments", "delete_bannedword"),
    ("comments", "view_ban"), ("comments", "add_ban"), ("comments", "change_ban"), ("comments", "delete_ban"),
    ("comments", "view_communitystandards"),
]
EDITOR_EXTRA_PERMS = [
    ("comments", "view_communitystandards"), ("comments", "add_communitystandards"),
    ("comments", "change_communitystandards"),
]

STANDARDS = """\
Our comment section is for discussing the story above it. Disagree as strongly as you like,
with arguments, not insults.

## What we remove

- Personal attacks, insults, threats and harassment, of other readers, of the people in the
  story or of our journalists.
- Hate speech: attacks on people for their origin, religion, gender, sexuality or disability.
- Spam, advertising and links that have nothing to do with the story.
- Other people's private information, and content that breaks the law.
- Comments that are off topic, or the same text posted again and again.

## How moderation works

Most comments appear at once; moderators read them and remove those that break these
standards. Some stories, and some comments (for example those with several links), wait for a
moderator before they appear. Readers can report a comment with the **Report** button; a
comment reported by several readers is hidden until a moderator has looked at it.

Readers who keep breaking these standards can lose the right to comment.

## Your details

Guests give a name and an email address. We show the name; we never show or share the email
address, and use it only to contact you about your comments.
"""


def forwards(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the group can hold them.
    create_permissions(global_apps.get_app_config("comments"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def grant(group, perms):
        for app_label, codename in perms:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))

    moderators, _ = Group.objects.get_or_create(name="Moderators")
    grant(moderators, MODERATOR_PERMS)
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        grant(editors, EDITOR_EXTRA_PERMS)

    CommunityStandards = apps.get_model("comments", "CommunityStandards")
    if not CommunityStandards.objects.exists():
        from core.markup import render_markdown

        CommunityStandards.objects.create(
            title="Community standards", body=STANDARDS, body_html=render_markdown(STANDARDS)
        )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("articles", "0002_editor_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
