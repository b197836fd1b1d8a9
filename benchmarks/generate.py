"""Make the benchmark's data set once (what it holds: dataset.py), or keep the one there.

Raw multi-row inserts in large transactions (COPY on PostgreSQL), not the ORM one row at a time.
Every comment is stored with its entry drawn by comments.entries, as the site stores it, so that
no thread page writes when first read. Drawing the entries is most of the time: worker processes
draw them while this one stores what they drew.

    BENCH_DATABASE_URL=sqlite:///benchmarks/small.sqlite3 BENCH_STORIES=3000 BENCH_COMMENTS=60000 \
    BENCH_ROTATION=500 .venv/bin/python -m benchmarks.generate      # `make bench` runs it too
"""

import os
import random
import time
from datetime import UTC, datetime, timedelta

from benchmarks.config import POSTGRES, setup_django, sqlite_path
from benchmarks.dataset import WORDS

SECTIONS = ["World", "Politics", "Business", "Science", "Sport", "Culture", "Opinion"]
TAGS_PER_STORY = 3


def short_code(n):
    from articles.models import SHORT_CODE_ALPHABET

    base, chars = len(SHORT_CODE_ALPHABET), []
    for _ in range(7):
        n, rest = divmod(n, base)
        chars.append(SHORT_CODE_ALPHABET[rest])
    return "".join(reversed(chars))


def generate(sizes, layout, processes=None):
    """Store the data set; returns the steps and their seconds. `processes`: how many draw the
    comment entries (None: one per core; 1: this process alone)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, Author, Section
    from benchmarks.comment_rows import comment_tasks, drawn_rows
    from benchmarks.inserts import inserter, reset_sequences, ts
    from comments.models import Comment
    from core.markup import render_markdown

    steps = []

    def step(name, started):
        steps.append((name, round(time.perf_counter() - started, 1)))
        print(f"  {name}: {steps[-1][1]:.1f} s", flush=True)

    t = time.perf_counter()
    with transaction.atomic():
        sections = Section.objects.bulk_create(
            Section(name=name, slug=name.lower(), position=i) for i, name in enumerate(SECTIONS)
        )
        authors = Author.objects.bulk_create(
            Author(name=f"Reporter {i}", slug=f"reporter-{i}", bio="Covers the region.")
            for i in range(sizes.authors)
        )
        tags = Tag.objects.bulk_create(
            (
                Tag(name=f"{WORDS[i % len(WORDS)]} {i}", slug=f"{WORDS[i % len(WORDS)]}-{i}")
                for i in range(sizes.tags)
            ),
            batch_size=5_000,
        )
    step("sections, authors, tags", t)

    t = time.perf_counter()
    rng = random.Random(20261124)
    # The stories readers open (the rotation set, the big thread) have a long text, about 70 KB a
    # page with 50 comments; the others are shorter, or the database would only grow.
    paragraph = " ".join(rng.choice(WORDS) for _ in range(90)).capitalize() + "."
    long_body = "\n\n".join([paragraph] * 6 + ["## What comes next"] + [paragraph] * 6)
    short_body = "\n\n".join([paragraph] * 2)
    bodies = {True: (long_body, render_markdown(long_body)), False: (short_body, render_markdown(short_body))}
    long_text = {*layout.rotation, layout.big}
    lead = "The council voted late on Tuesday to rebuild the old river bridge, ending a long dispute."
    now = datetime.now(UTC).replace(microsecond=0)
    n = sizes.stories
    latest = {
        layout.big: timedelta(hours=2),
        layout.poster: timedelta(minutes=90),
        layout.fresh: timedelta(hours=1),
    }
    published = [now - latest.get(pk, timedelta(hours=3, minutes=5 * (n - pk))) for pk in range(1, n + 1)]
    store = inserter(
        Article,
        ["id", "headline", "slug", "section_id", "lead", "body", "body_html", "status", "published_at"]
        + ["short_code", "comment_count", "created_at", "modified_at"],
    )
    with transaction.atomic():
        store(
            (
                pk,
                f"Story {pk}: the {WORDS[pk % len(WORDS)]} question",
                f"story-{pk}",
                sections[pk % len(sections)].pk,
                lead,
                *bodies[pk in long_text],
                "published",
                ts(published[pk - 1]),
                short_code(pk * 7919 + 13),
                layout.counts[pk - 1],
                ts(published[pk - 1]),
                ts(published[pk - 1]),
            )
            for pk in range(1, n + 1)
        )
    step(f"{n:,} stories", t)

    t = time.perf_counter()
    ctype = ContentType.objects.get_for_model(Article).pk
    with transaction.atomic():
        inserter(Article.authors.through, ["article_id", "author_id"])(
            (pk, authors[pk % len(authors)].pk) for pk in range(1, n + 1)
        )
        inserter(TaggedItem, ["tag_id", "content_type_id", "object_id"])(
            (tags[(pk * 7 + k * 1013) % len(tags)].pk, ctype, pk)
            for pk in range(1, n + 1)
            for k in range(TAGS_PER_STORY)
        )
    step(f"{n:,} bylines, {n * TAGS_PER_STORY:,} tag links", t)

    t = time.perf_counter()
    store = inserter(
        Comment,
        ["id", "article_id", "name", "email", "body", "body_html", "entry_html", "entry_version"]
        + ["status", "ip_address", "created_at", "published_at"],
    )
    with transaction.atomic():
        store(drawn_rows(comment_tasks(layout, published), processes or min(8, os.cpu_count() or 1)))
    step(f"{sizes.comments:,} comments, their entries drawn", t)
    reset_sequences(Article, Comment, TaggedItem, Article.authors.through)
    return steps


def analyze():
    """Statistics for the query planner. PostgreSQL: VACUUM too, as autovacuum would have on a
    live site: without a visibility map a count over an index reads every story's row."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def start_afresh(reason):
    """An old or other data set: SQLite's file is made again; a PostgreSQL database is left to
    its owner to drop."""
    from django.core.management import call_command
    from django.db import connection

    if POSTGRES:
        name = connection.settings_dict["NAME"]
        raise SystemExit(
            f"The PostgreSQL database {name} holds another data set: {reason}. Drop it "
            f'(psql -c "DROP DATABASE {name}") and run make bench again: it is then made anew.'
        )
    print(f"Making the benchmark database again: {reason}.", flush=True)
    connection.close()
    path = sqlite_path()
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    call_command("migrate", verbosity=0, interactive=False)


def main():
    from django.core.management import call_command
    from django.db import connection

    from articles.models import Article
    from benchmarks.dataset import Layout, Sizes, mismatch, read_meta, write_meta

    sizes = Sizes.from_env()
    call_command("migrate", verbosity=0, interactive=False)
    meta = read_meta()
    if meta is not None or Article.objects.exists():
        reason = mismatch(meta, sizes)
        if reason is None:
            print(f"The data set is there already ({sizes.stories:,} stories, made in {meta['seconds']} s).")
            analyze()  # statistics for the indexes a new migration may have made
            return
        start_afresh(reason)
    print(f"Making the data set: {sizes}", flush=True)
    if not POSTGRES:  # a benchmark's scratch file: no need to wait for the disk
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    started = time.perf_counter()
    layout = Layout.of(sizes)
    steps = generate(sizes, layout)
    t = time.perf_counter()
    analyze()
    steps.append(("statistics", round(time.perf_counter() - t, 1)))
    print(f"  statistics: {steps[-1][1]:.1f} s", flush=True)
    total = time.perf_counter() - started
    write_meta(sizes, layout, total, steps)
    print(f"Generated in {total:.1f} s", flush=True)


if __name__ == "__main__":
    setup_django()
    main()
