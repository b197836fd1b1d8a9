from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

from core.markup import render_markdown

# The pages the footer links to. Invented demo text in the site's default language: editors
# rewrite them in the admin (Pages).
PAGES = [
    (
        "/about/",
        "About us",
        """Newsroom is an independent news site. Our reporters and editors write every story
on this site themselves; nothing is paid for and nothing is copied from elsewhere without saying so.

## How we work

Every story is read by an editor before it is published. When we get something wrong we correct it
on the story, with the date and what changed, and the story is marked as updated.

## Who we are

A small newsroom of reporters and editors. Their names are on the stories they write, and each
has a page listing their work.
""",
    ),
    (
        "/contact/",
        "Contact us",
        """Write to the newsroom at [newsroom@example.com](mailto:newsroom@example.com).

- **A mistake in a story:** tell us which story and what is wrong; we correct it on the page.
- **A news tip:** tell us what you know and how to reach you. We do not name our sources without
  their consent.
- **Comments:** if a comment of yours was removed, or you can no longer comment and think it is a
  mistake, write to us with the address you comment from.

We read every message and answer within a few working days.
""",
    ),
    (
        "/privacy/",
        "Privacy",
        """You can read this site without an account, and we do not follow you around it: there are
no advertising or analytics trackers.

## What we keep

- **If you sign up:** your email address, the name you show with your comments and, if you choose
  one, your picture. Your email address is never shown to anyone.
- **If you comment:** what you wrote, when, and the network address you wrote it from, to stop
  spam and abuse.
- **Cookies:** only the ones the site needs to work: to keep you signed in, to protect forms, and for
  a few seconds after you post so you see your own comment at once.

## Your choices

You can change your name and picture on your profile page. To have your account and comments
deleted, [contact us](/contact/).
""",
    ),
]
EDITOR_PERMISSIONS = ["add_page", "change_page", "delete_page", "view_page"]


def create_pages(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    for url, title, content in PAGES:
        Page.objects.get_or_create(
            url=url, defaults={"title": title, "content": content, "content_html": render_markdown(content)}
        )
    # Editors keep the site's pages; permissions are normally made after all migrations.
    create_permissions(global_apps.get_app_config("pages"), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="pages", codename__in=EDITOR_PERMISSIONS)
    )


def remove_pages(apps, schema_editor):
    apps.get_model("pages", "Page").objects.filter(url__in=[url for url, _title, _content in PAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_pages, remove_pages)]
