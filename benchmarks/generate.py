"""Fill the benchmark database fast: 100,000 stories, 1,000,000 comments, 5,000 tags.

Raw multi-row inserts in large transactions (COPY on PostgreSQL), not the ORM one row at a time.
Two stories are kept for the benchmark: the newest has 5,000 comments, the next 50; both are
open for comments. Run through `make bench`, or on its own:

    DATABASE_URL=sqlite:///benchmarks/bench.sqlite3 .venv/bin/python benchmarks/generate.py
"""

import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import NOT_PROVIDED  # noqa: E402
from taggit.models import Tag, TaggedItem  # noqa: E402

from articles.models import SHORT_CODE_ALPHABET, Article, Author, Section  # noqa: E402
from comments.models import Comment  # noqa: E402
from core.markup import render_markdown, render_plain_text  # noqa: E402

STORIES = int(os.environ.get("BENCH_STORIES", 100_000))
COMMENTS = int(os.environ.get("BENCH_COMMENTS", 1_000_000))
TAGS = int(os.environ.get("BENCH_TAGS", 5_000))
AUTHORS = 200
# PostgreSQL: VACUUM too, as autovacuum would have on a live site: without a visibility map a
# count over an index (a section's "Page 1 of 700") reads every story's row (50 ms, not 4).
STATISTICS = "VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE"
TAGS_PER_STORY = 3
BIG_THREAD, SMALL_THREAD = 5_000, 50
BATCH = 20_000
WORDS = [
    "council",
    "vote",
    "river",
    "harbour",
    "budget",
    "minister",
    "storm",
    "school",
    "league",
    "bridge",
    "court",
    "mayor",
    "strike",
    "festival",
    "museum",
    "railway",
    "election",
    "hospital",
    "energy",
    "market",
    "drought",
    "summit",
    "treaty",
    "research",
]


def short_code(n):
    base, chars = len(SHORT_CODE_ALPHABET), []
    for _ in range(7):
        n, rest = divmod(n, base)
        chars.append(SHORT_CODE_ALPHABET[rest])
    return "".join(reversed(chars))


def inserter(model, given):
    """A function that stores rows (tuples of `given` columns); other columns get their default."""
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in given)]
    constants = {}
    for field in fields:
        if field.attname in given:
            continue
        if field.default is not NOT_PROVIDED:
            value = field.get_db_prep_save(field.get_default(), connection)
        elif field.null:
            value = None
        else:
            value = ""
        constants[field.attname] = value
    columns = [f.column for f in fields]
    order = [
        (given.index(f.attname) if f.attname in given else None, constants.get(f.attname)) for f in fields
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)

    def full(row):
        return tuple(row[i] if i is not None else constant for i, constant in order)

    if connection.vendor == "postgresql":

        def store(rows):
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(full(row))

    else:
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 - our own table and column names

        def store(rows):
            batch = []
            with connection.cursor() as cursor:
                for row in rows:
                    batch.append(full(row))
                    if len(batch) >= BATCH:
                        cursor.executemany(sql, batch)
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)

    return store


def ts(moment):
    return connection.ops.adapt_datetimefield_value(moment)


def reset_sequences(*models):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


def generate():
    rng = random.Random(20261124)
    now = datetime.now(UTC).replace(microsecond=0)
    steps = []

    def step(name, started):
        steps.append((name, time.perf_counter() - started))
        print(f"  {name}: {steps[-1][1]:.1f} s", flush=True)

    started = t = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    with transaction.atomic():
        sections = [
            Section(name=n, slug=n.lower(), position=i)
            for i, n in enumerate(["World", "Politics", "Business", "Science", "Sport", "Culture", "Opinion"])
        ]
        Section.objects.bulk_create(sections)
        authors = Author.objects.bulk_create(
            [
                Author(name=f"Reporter {i}", slug=f"reporter-{i}", bio="Covers the region.")
                for i in range(AUTHORS)
            ]
        )
        tags = Tag.objects.bulk_create(
            [
                Tag(name=f"{WORDS[i % len(WORDS)]} {i}", slug=f"{WORDS[i % len(WORDS)]}-{i}")
                for i in range(TAGS)
            ],
            batch_size=BATCH,
        )
    step("sections, authors, tags", t)

    # ~47 KB story pages need a long body: twelve paragraphs and two subheads.
    paragraph = " ".join(rng.choice(WORDS) for _ in range(90)).capitalize() + "."
    body = "\n\n".join([paragraph] * 6 + ["## What comes next"] + [paragraph] * 6)
    body_html = render_markdown(body)
    # The other stories are shorter: 100,000 long bodies would only make the database file big.
    short_body = "\n\n".join([paragraph] * 2)
    short_html = render_markdown(short_body)
    lead = "The council voted late on Tuesday to rebuild the old river bridge, ending a long dispute."
    # Stories oldest first; the last two are the benchmark's, filed an hour and two hours ago.
    per_story = [BIG_THREAD, SMALL_THREAD]
    rest = COMMENTS - BIG_THREAD - SMALL_THREAD
    others = STORIES - 2
    base, extra = divmod(rest, others) if others else (0, 0)
    counts = [base + (1 if i < extra else 0) for i in range(others)] + per_story[::-1]
    t = time.perf_counter()
    store = inserter(
        Article,
        [
            "id",
            "headline",
            "slug",
            "section_id",
            "lead",
            "body",
            "body_html",
            "status",
            "published_at",
            "short_code",
            "comment_count",
            "created_at",
            "modified_at",
        ],
    )
    first_id = 1
    rows = []
    for i in range(STORIES):
        pk = first_id + i
        if i == STORIES - 1:
            published = now - timedelta(hours=1)
        elif i == STORIES - 2:
            published = now - timedelta(hours=2)
        else:
            published = now - timedelta(hours=3, minutes=5 * (STORIES - i))
        moment = ts(published)
        rows.append(
            (
                pk,
                f"Story {pk}: the {WORDS[i % len(WORDS)]} question",
                f"story-{pk}",
                sections[i % 7].pk,
                lead,
                *((body, body_html) if i >= STORIES - 2 else (short_body, short_html)),
                "published",
                moment,
                short_code(pk * 7919 + 13),
                counts[i],
                moment,
                moment,
            )
        )
    with transaction.atomic():
        store(rows)
    step(f"{STORIES:,} stories", t)

    t = time.perf_counter()
    ctype = ContentType.objects.get_for_model(Article).pk
    store_authors = inserter(Article.authors.through, ["article_id", "author_id"])
    store_tags = inserter(TaggedItem, ["tag_id", "content_type_id", "object_id"])
    with transaction.atomic():
        store_authors((first_id + i, authors[i % AUTHORS].pk) for i in range(STORIES))
        store_tags(
            (tags[(i * 7 + k * 1013) % TAGS].pk, ctype, first_id + i)
            for i in range(STORIES)
            for k in range(TAGS_PER_STORY)
        )
    step(f"{STORIES:,} bylines, {STORIES * TAGS_PER_STORY:,} tag links", t)

    t = time.perf_counter()
    texts = [f"I think the {w} matters more than people say. Comment {n}." for n, w in enumerate(WORDS)]
    htmls = [render_plain_text(text) for text in texts]
    store_comments = inserter(
        Comment,
        [
            "article_id",
            "name",
            "email",
            "body",
            "body_html",
            "status",
            "ip_address",
            "created_at",
            "published_at",
        ],
    )

    def comment_rows():
        n = 0
        for i, count in enumerate(counts):
            start = (
                now - timedelta(minutes=50)
                if i >= STORIES - 2
                else now - timedelta(hours=3, minutes=5 * (STORIES - i))
            )
            for k in range(count):
                moment = ts(start + timedelta(seconds=k))
                j = n % len(texts)
                yield (
                    first_id + i,
                    f"Reader {n % 997}",
                    f"r{n % 997}@example.com",
                    texts[j],
                    htmls[j],
                    "published",
                    "192.0.2.10",
                    moment,
                    moment,
                )
                n += 1

    with transaction.atomic():
        store_comments(comment_rows())
    step(f"{COMMENTS:,} comments", t)

    t = time.perf_counter()
    reset_sequences(Article, Comment, TaggedItem, Article.authors.through)
    with connection.cursor() as cursor:
        cursor.execute(STATISTICS)
    step("sequences and statistics", t)
    total = time.perf_counter() - started
    print(f"Generated in {total:.1f} s", flush=True)
    return total, steps


def main():
    call_command("migrate", verbosity=0, interactive=False)
    if Article.objects.exists():
        print(f"The benchmark database has {Article.objects.count():,} stories already; kept.")
        with connection.cursor() as cursor:
            cursor.execute(STATISTICS)  # statistics for indexes a new migration may have made
        return None
    return generate()


if __name__ == "__main__":
    main()
