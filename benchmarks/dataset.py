"""The benchmark's data set: its sizes, which story is which, and the record of what was made.

Stories have ids 1..N, oldest first. A rotation set of stories (5,000 by default), spread evenly
over every id and so over every date, has exactly 50 published comments each, the page a reader
sees first: the cold story page and the minimal view both go through them. The newest three are
the 5,000-comment story, the one the posting benchmark writes to, and the one the freshness
check edits. The other comments are shared out evenly over every other story.

The generator records the data set (bench_dataset table) with VERSION and the comment entries'
version, so a database made by another generator, or drawn under another entry template, is found
and made again instead of being measured (every thread would be drawn and written on first read).

Every story's text is made of the same words (WORDS), so the worst-case search for one of them
matches every story.

Sizes (environment): BENCH_STORIES, BENCH_COMMENTS, BENCH_ROTATION, BENCH_TAGS.
"""

import json
import os
import subprocess
import urllib.parse
from dataclasses import asdict, dataclass

from benchmarks.config import DATABASE_URL, POSTGRES

# Raise it whenever the generator makes a different data set.
VERSION = 2
META_TABLE = "bench_dataset"
# Every story's text is made of these (the worst-case search looks for one of them).
WORDS = (  # noqa: SIM905 - two lines of words, not twenty-four
    "council vote river harbour budget minister storm school league bridge court mayor strike "
    "festival museum railway election hospital energy market drought summit treaty research"
).split()


@dataclass(frozen=True)
class Sizes:
    stories: int = 100_000
    comments: int = 1_000_000
    rotation: int = 5_000
    rotation_comments: int = 50
    big_thread: int = 5_000
    tags: int = 5_000
    authors: int = 200

    @classmethod
    def from_env(cls):
        defaults = cls()
        return cls(
            stories=int(os.environ.get("BENCH_STORIES", defaults.stories)),
            comments=int(os.environ.get("BENCH_COMMENTS", defaults.comments)),
            rotation=int(os.environ.get("BENCH_ROTATION", defaults.rotation)),
            tags=int(os.environ.get("BENCH_TAGS", defaults.tags)),
        )

    def __post_init__(self):
        if self.stories < self.rotation + 4 or self.rotation < 2:
            raise ValueError(f"{self.stories} stories leave no room for a rotation of {self.rotation}")
        if self.comments < self.rotation * self.rotation_comments + self.big_thread:
            raise ValueError(
                f"{self.comments} comments are too few: the rotation set alone needs "
                f"{self.rotation * self.rotation_comments:,}, the big thread {self.big_thread:,}"
            )


@dataclass(frozen=True)
class Layout:
    """Which story is which, and how many comments each has (counts[i] for story id i + 1)."""

    rotation: list
    big: int
    poster: int
    fresh: int
    counts: list

    @classmethod
    def of(cls, sizes):
        n = sizes.stories
        big, poster, fresh = n - 2, n - 1, n
        rotation = [1 + j * (n - 4) // (sizes.rotation - 1) for j in range(sizes.rotation)]
        chosen = set(rotation)
        others = [pk for pk in range(1, n + 1) if pk not in chosen and pk != big]
        rest = sizes.comments - sizes.rotation * sizes.rotation_comments - sizes.big_thread
        base, extra = divmod(rest, len(others))
        counts = [0] * n
        for pk in rotation:
            counts[pk - 1] = sizes.rotation_comments
        counts[big - 1] = sizes.big_thread
        for k, pk in enumerate(others):
            counts[pk - 1] = base + (k < extra)
        return cls(rotation, big, poster, fresh, counts)


def ensure_database():
    """The PostgreSQL database BENCH_DATABASE_URL names is created when it does not exist yet."""
    if not POSTGRES:
        return
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(DATABASE_URL)
    name = urllib.parse.unquote(parts.path.lstrip("/"))
    server = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"Creating the PostgreSQL database {name}", flush=True)
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def warm():
    """Read the whole data set once, so that the operating system's page cache holds it.

    A production server keeps its working set in memory; this machine's kernel may drop the
    benchmark's files from its cache while they are idle, and each run would then measure disk
    reads the first time each story is asked for (more of them for the pages that read more).
    """
    from django.db import connection

    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            # 'read': into the operating system's cache (shared_buffers is far smaller).
            cursor.execute(
                "SELECT pg_prewarm(c.oid, 'read') FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 'm')"
            )
        return
    from benchmarks.config import sqlite_path

    page_in([sqlite_path(), sqlite_path().with_name(sqlite_path().name + "-wal")])


def page_in(paths):
    """Read `paths` through, in a child process.

    Never here: closing any descriptor of a SQLite file drops every POSIX lock this process holds
    on it, its open connection's too. Another process closing its own connection then takes itself
    for the last one, checkpoints and deletes the WAL under us, and our next write goes to a stale
    copy of the database: comments lost, indexes corrupt (SQLite's "How To Corrupt", 2.2).
    """
    existing = [str(path) for path in paths if path.exists()]
    if existing:
        subprocess.run(["cat", *existing], stdout=subprocess.DEVNULL, check=True)  # noqa: S603, S607


def read_meta():
    """What the generator recorded, or None (no record: another generator's, or it did not finish)."""
    from django.db import connection

    if META_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {META_TABLE} WHERE name = 'meta'")  # noqa: S608 - a constant
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def write_meta(sizes, layout, seconds, steps):
    from django.db import connection

    from comments.entries import entry_version

    meta = {
        "version": VERSION,
        "entry_version": entry_version(),
        "sizes": asdict(sizes),
        "rotation": layout.rotation,
        "big": layout.big,
        "poster": layout.poster,
        "fresh": layout.fresh,
        "seconds": round(seconds, 1),
        "steps": steps,
    }
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {META_TABLE} (name VARCHAR(40) PRIMARY KEY, value TEXT NOT NULL)")
        cursor.execute(
            f"INSERT INTO {META_TABLE} (name, value) VALUES ('meta', %s)",  # noqa: S608 - a constant
            [json.dumps(meta)],
        )
    return meta


def mismatch(meta, sizes):
    """Why the recorded data set is not the one to measure, or None when it is."""
    from comments.entries import entry_version

    if meta is None:
        return "it was made by an older generator, or its making was interrupted"
    if meta["version"] != VERSION:
        return f"it was made by version {meta['version']} of the generator, this is version {VERSION}"
    wanted = asdict(sizes)
    if meta["sizes"] != wanted:
        changed = [
            f"{name} {was}, not {wanted.get(name)}"
            for name, was in meta["sizes"].items()
            if was != wanted.get(name)
        ]
        return "it was made with other sizes: " + "; ".join(changed)
    if meta["entry_version"] != entry_version():
        return "its comment entries were drawn by another entry template (comments/entries.py)"
    return None


def load():
    """The recorded data set and its stories: rotation (a list), big, poster and fresh."""
    from articles.models import Article

    meta = read_meta()
    if meta is None:
        raise SystemExit("The benchmark database has no data set record: run `make bench` to make one.")
    wanted = [*meta["rotation"], meta["big"], meta["poster"], meta["fresh"]]
    found = Article.objects.select_related("section").in_bulk(wanted)
    stories = {"rotation": [found[pk] for pk in meta["rotation"]]}
    stories.update({name: found[meta[name]] for name in ("big", "poster", "fresh")})
    return meta, stories
