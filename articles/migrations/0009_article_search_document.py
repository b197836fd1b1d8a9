from importlib import import_module

from django.db import migrations

# Full-text search on PostgreSQL: the weighted document of each story (headline A, lead B, body C)
# is stored, once per site language, in a generated column that PostgreSQL keeps up to date on
# every insert and update, with a GIN index on it. Ranking and phrase checks then read the stored
# vector instead of parsing the story's text again for every match, which made a search for a
# common word cost a pass over every story. The columns replace 0005's expression indexes (the new
# indexes take their names). The model does not declare the columns, so Django never writes them;
# articles/search.py names them (SEARCH_COLUMNS). SQLite has its own FTS5 index (migration 0008),
# so there this migration does nothing.
#
# PostgreSQL refuses to change the type of a column a generated column reads: a later migration
# that alters headline, lead or body (e.g. headline's max_length) on PostgreSQL must run DROP
# first and ADD_COLUMNS + CREATE_INDEXES after it.
SEARCH_CONFIGS = {"en": "english", "ru": "russian"}


def document(config):
    return " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, coalesce({column}, '')), '{weight}')"
        for column, weight in [("headline", "A"), ("lead", "B"), ("body", "C")]
    )


# One ALTER TABLE: the table is rewritten once for both columns.
ADD_COLUMNS = "ALTER TABLE articles_article " + ", ".join(
    f"ADD COLUMN search_{code} tsvector GENERATED ALWAYS AS ({document(config)}) STORED"
    for code, config in SEARCH_CONFIGS.items()
)
CREATE_INDEXES = [
    f"CREATE INDEX article_search_{code}_idx ON articles_article USING gin (search_{code})"
    for code in SEARCH_CONFIGS
]
DROP = "ALTER TABLE articles_article " + ", ".join(
    f"DROP COLUMN IF EXISTS search_{code}" for code in SEARCH_CONFIGS  # drops its index too
)


def store_search_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for code in SEARCH_CONFIGS:
        schema_editor.execute(f"DROP INDEX IF EXISTS article_search_{code}_idx")
    schema_editor.execute(ADD_COLUMNS)
    for statement in CREATE_INDEXES:
        schema_editor.execute(statement)
    schema_editor.execute("ANALYZE articles_article")  # statistics of the new columns' words


def drop_search_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DROP)
    # 0005's expression indexes, made as 0005 makes them.
    import_module("articles.migrations.0005_correction_search_index").add_search_indexes(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_article_search_fts5"),
    ]

    operations = [
        migrations.RunPython(store_search_documents, drop_search_documents, elidable=False),
    ]
