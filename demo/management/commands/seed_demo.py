"""Fill an empty Newsroom with invented sections, authors, photos and stories.

Safe to run again: sections, authors and stories are found by slug, photos by their alt text,
so a second run creates nothing. Stories are dated relative to now, so a fresh demo always
has a front page from today.
"""

import re
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Author, Photo, Section
from demo.comments import seed_demo_comments
from demo.pictures import draw_portrait, draw_scene
from demo.stories import AUTHORS, PHOTOS, SECTIONS, STORIES

# Lines that start a new Markdown block even without a blank line before them.
BLOCK_START = re.compile(r"^(- |\d+\. |## |> )")


def typeset(text):
    """Straight quotes to typographic ones, as an editor would type them: “…”, ‘…’, it’s."""
    text = re.sub(r"(?<=\w)'(?=\w)", "’", text)
    text = re.sub(r"""(^|[\s(\[])"(?=\S)""", "\\1“", text, flags=re.MULTILINE).replace('"', "”")
    return re.sub(r"(^|[\s(\[])'(?=\S)", "\\1‘", text, flags=re.MULTILINE).replace("'", "’")


def unwrap(text):
    """Undo the source file's line wrapping: one line per paragraph, list item or quote."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = []
        for line in block.splitlines():
            line = line.strip()
            if lines and not BLOCK_START.match(line):
                lines[-1] += " " + line
            else:
                lines.append(line)
        blocks.append("\n".join(lines))
    return typeset("\n\n".join(blocks))


class Command(BaseCommand):
    help = "Create demo sections, authors, photos and stories (fictional). Running it twice adds nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has any article.",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Article.objects.exists():
            self.stdout.write("Articles already exist; demo content not added.")
            return
        self.created = {"sections": 0, "authors": 0, "photos": 0, "stories": 0}
        with transaction.atomic():
            sections = self.make_sections()
            authors = self.make_authors()
            self.make_stories(sections, authors)
        # Discussions under the stories (demo/comments.py).
        seed_demo_comments(self.stdout)
        summary = ", ".join(f"{count} {kind}" for kind, count in self.created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content: created {summary}."))

    def make_sections(self):
        sections = {}
        for position, (name, slug, description) in enumerate(SECTIONS, start=1):
            section, created = Section.objects.get_or_create(
                slug=slug, defaults={"name": name, "description": description, "position": position * 10}
            )
            sections[slug] = section
            if created:
                self.created["sections"] += 1
                self.stdout.write(f"  section  {name}")
        return sections

    def make_authors(self):
        authors = {}
        for data in AUTHORS:
            author = Author.objects.filter(slug=data["slug"]).first()
            if author is None:
                portrait = self.photo(
                    alt=f"Portrait of {data['name']}",
                    caption="",
                    credit="",
                    content=draw_portrait(data["colour"], seed=data["slug"]),
                )
                author = Author.objects.create(
                    slug=data["slug"], name=data["name"], bio=unwrap(data["bio"]), photo=portrait
                )
                self.created["authors"] += 1
                self.stdout.write(f"  author   {author.name}")
            authors[data["slug"]] = author
        return authors

    def make_stories(self, sections, authors):
        now = timezone.now()
        for data in STORIES:
            slug = slugify(data["headline"])[:200]
            if Article.objects.filter(slug=slug).exists():
                continue
            picture = PHOTOS[data["photo"]]
            photo = self.photo(
                alt=picture["alt"],
                caption=unwrap(picture["caption"]),
                credit=picture["credit"],
                content=lambda picture=picture, key=data["photo"]: draw_scene(picture["scene"], seed=key),
            )
            article = Article(
                headline=typeset(data["headline"]),
                slug=slug,
                section=sections[data["section"]],
                dateline_place=data["dateline"],
                lead=unwrap(data["lead"]),
                body=unwrap(data["body"]),
                main_photo=photo,
                status=data.get("status", Article.Status.PUBLISHED),
            )
            if "hours_ago" in data:
                # Whole minutes, so the page and the admin show the same time.
                published = now - timedelta(hours=data["hours_ago"])
                article.published_at = published.replace(second=0, microsecond=0)
            if "updated_after_minutes" in data:
                article.updated_at = article.published_at + timedelta(minutes=data["updated_after_minutes"])
            byline = [authors[slug] for slug in data["authors"]]
            article.relations_for_next_version(byline, data["tags"])
            article.save()
            article.tags.add(*data["tags"])
            article.authors.set(byline)
            self.created["stories"] += 1
            state = "" if article.is_published else f" ({'scheduled' if article.is_scheduled else 'draft'})"
            self.stdout.write(f"  story    [{article.section.name}] {article.headline}{state}")

    def photo(self, *, alt, caption, credit, content):
        """The photo with this alt text, drawn and saved to MEDIA_ROOT the first time it is asked for."""
        photo = Photo.objects.filter(alt_text=alt).first()
        if photo is not None:
            return photo
        data = content() if callable(content) else content
        # Assigned, not `image.save()`: the model's save stores the file once and reads its size.
        photo = Photo(
            alt_text=alt,
            caption=caption,
            credit=credit,
            image=ContentFile(data, name=f"{slugify(alt)[:40]}.jpg"),
        )
        photo.save()
        self.created["photos"] += 1
        return photo
