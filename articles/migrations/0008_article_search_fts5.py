from django.db import migrations

# Full-text search on SQLite: an FTS5 index over the stories' headline, lead and body, which
# articles/search.py queries. "External content": the index keeps no copy of the text, only
# the words, and triggers keep it in step with articles_article. PostgreSQL has its own GIN
# indexes (migration 0005), so there this migration does nothing.
#
# SQLite drops a table's triggers with the table: a later migration that makes Django rebuild
# articles_article on SQLite (most AlterField/RemoveField operations) must run CREATE_TRIGGERS
# again. test_search.py checks the triggers exist after all migrations.
CREATE_TABLE = """
CREATE VIRTUAL TABLE articles_article_fts USING fts5(
    headline, lead, body,
    content='articles_article', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
)
"""
# Saving a story rewrites every column, and comment counts change often: only a changed text
# is indexed again.
CREATE_TRIGGERS = [
    """
    CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts (rowid, headline, lead, body)
        VALUES (new.id, new.headline, new.lead, new.body);
    END
    """,
    """
    CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts (articles_article_fts, rowid, headline, lead, body)
        VALUES ('delete', old.id, old.headline, old.lead, old.body);
    END
    """,
    """
    CREATE TRIGGER articles_article_fts_update AFTER UPDATE OF id, headline, lead, body
    ON articles_article
    WHEN old.id IS NOT new.id OR old.headline IS NOT new.headline OR old.lead IS NOT new.lead
        OR old.body IS NOT new.body
    BEGIN
        INSERT INTO articles_article_fts (articles_article_fts, rowid, headline, lead, body)
        VALUES ('delete', old.id, old.headline, old.lead, old.body);
        INSERT INTO articles_article_fts (rowid, headline, lead, body)
        VALUES (new.id, new.headline, new.lead, new.body);
    END
    """,
]
REBUILD = "INSERT INTO articles_article_fts (articles_article_fts) VALUES ('rebuild')"


def triggers_for(columns):
    """CREATE_TRIGGERS for an index of these columns of articles_article (0018 added one)."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    changed = " OR ".join(f"old.{column} IS NOT new.{column}" for column in ["id", *columns])
    return [
        f"""CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
            INSERT INTO articles_article_fts (rowid, {names}) VALUES (new.id, {new});
        END""",
        f"""CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
            INSERT INTO articles_article_fts (articles_article_fts, rowid, {names})
            VALUES ('delete', old.id, {old});
        END""",
        f"""CREATE TRIGGER articles_article_fts_update AFTER UPDATE OF id, {names}
        ON articles_article WHEN {changed}
        BEGIN
            INSERT INTO articles_article_fts (articles_article_fts, rowid, {names})
            VALUES ('delete', old.id, {old});
            INSERT INTO articles_article_fts (rowid, {names}) VALUES (new.id, {new});
        END""",
    ]


def make_triggers(schema_editor):
    """The triggers for the index's columns as they are when this runs: a migration that rebuilds
    articles_article calls it (through 0010's make_fts5_triggers_again), whichever index it finds."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("PRAGMA table_info(articles_article_fts)")
        columns = [row[1] for row in cursor.fetchall()]
    for statement in triggers_for(columns):
        schema_editor.execute(statement)
DROP = [
    "DROP TRIGGER IF EXISTS articles_article_fts_update",
    "DROP TRIGGER IF EXISTS articles_article_fts_delete",
    "DROP TRIGGER IF EXISTS articles_article_fts_insert",
    "DROP TABLE IF EXISTS articles_article_fts",
]


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in [CREATE_TABLE, *CREATE_TRIGGERS, REBUILD]:
        schema_editor.execute(statement)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_photo_renditions"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index, elidable=False),
    ]
