"""Search on PostgreSQL: each story's weighted document, stored once per site language.

Article declares a generated column per language (`search_en`, `search_ru`): PostgreSQL keeps it
up to date on every write, with a GIN index on it, so ranking and phrase checks read the stored
vector instead of parsing every story's text again. On SQLite these columns are NULL: there the
FTS5 index searches (fts5.py).
"""

from django.db import connection, models
from django.db.backends.ddl_references import Statement
from django.db.models import TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

SEARCH_CONFIGS = {"en": "english", "ru": "russian"}  # the site languages with a stored document
# The story's text; then search_extra: dateline place, photo caption and author names (extra.py).
# Migrations name the weights they built a document with (0010: the text alone).
TEXT_WEIGHTS = (("headline", "A"), ("lead", "B"), ("body", "C"))
WEIGHTS = (*TEXT_WEIGHTS, ("search_extra", "D"))


class SearchVectorField(models.Field):
    """A tsvector column. Not django.contrib.postgres's own: that needs the app installed, and
    psycopg loaded with it (9 MB), in every worker of a SQLite site too."""

    description = "PostgreSQL text search vector"

    def db_type(self, connection):
        return "tsvector"


class SearchDocument(models.Func):
    """The `weights` columns (headline A, lead B, body C, search_extra D) as one tsvector in a
    text search configuration; NULL on SQLite."""

    def __init__(self, config, weights=TEXT_WEIGHTS):
        if config not in SEARCH_CONFIGS.values():
            raise ValueError(f"No stored search document for {config!r}")
        self.config = config
        self.weights = tuple(tuple(pair) for pair in weights)
        columns = [models.F(column) for column, _weight in self.weights]
        super().__init__(*columns, output_field=SearchVectorField())

    def as_sql(self, compiler, connection, **extra_context):
        parts = []
        for expression, (_column, weight) in zip(self.get_source_expressions(), self.weights, strict=True):
            column, _params = compiler.compile(expression)
            vector = f"to_tsvector('{self.config}'::regconfig, coalesce({column}, ''))"
            parts.append(f"setweight({vector}, '{weight}')")
        return " || ".join(parts), []

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


class SearchIndex(models.Index):
    """A GIN index of a search column on PostgreSQL; nothing on SQLite."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Statement("")
        return super().create_sql(model, schema_editor, using=" USING gin", **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Statement("")
        return super().remove_sql(model, schema_editor, **kwargs)


def search(queryset, query, *, config, limit, marks):
    """`queryset` narrowed to the newest `limit` stories matching `query`, best first, each with
    a snippet cut by the database (`marks`: what to put around matched words)."""
    # PostgreSQL only: django.contrib.postgres loads psycopg (see SearchVectorField).
    from django.contrib.postgres.search import SearchHeadline, SearchQuery

    code = next(code for code, name in SEARCH_CONFIGS.items() if name == config)
    meta = queryset.model._meta
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    column = quote(meta.get_field(f"search_{code}").column)
    tsquery = "websearch_to_tsquery(%s::regconfig, %s)"
    # Only the newest `limit` matches (by id) are candidates: found through the GIN index or, for a
    # word most stories hold, by reading the newest stories until that many match. Constant SQL;
    # the reader's query is a parameter.
    newest = f"SELECT {pk} FROM {table} WHERE {column} @@ {tsquery} ORDER BY {pk} DESC LIMIT %s"  # noqa: S608
    rank = RawSQL(f"ts_rank({table}.{column}, {tsquery})", [config, query])  # noqa: S611
    start, stop = marks
    return (
        queryset.defer("body", "body_html")
        .filter(pk__in=RawSQL(newest, [config, query, limit]))  # noqa: S611
        .annotate(
            rank=rank,
            # Cut for the page's stories only: computed after the sort and the LIMIT, being costly
            # and not a sort key.
            search_snippet=SearchHeadline(
                Concat("lead", Value("\n\n"), "body", output_field=TextField()),
                SearchQuery(query, search_type="websearch", config=config),
                config=config,
                start_sel=start,
                stop_sel=stop,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-published_at", "-pk")
    )
