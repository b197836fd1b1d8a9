"""Search on SQLite: an FTS5 index of the stories' headline, lead, body and search_extra.

Migration 0008 makes the index ("external content": it keeps the words, not a copy of the text)
and the triggers that keep it in step with articles_article; 0018 makes it again with the porter
tokenizer and search_extra (dateline place, photo caption, author names: extra.py). Here it is an
unmanaged model, so that the ORM joins it to the stories like any table and ranks with bm25().
English words are stemmed ("reservoir" finds "reservoirs"), Russian ones are not (FTS5 has no
Russian stemmer: PostgreSQL's search has); case and accents are ignored.
"""

from django.db import models
from django.db.models.expressions import RawSQL

from .terms import query_terms

FTS_TABLE = "articles_article_fts"
# bm25() with the weights of headline, lead, body and search_extra; lower is better, hence the minus.
FTS_RANK = f"-bm25({FTS_TABLE}, 4.0, 2.0, 1.0, 0.5)"
# The id of the `limit`-th newest match (0 when fewer match): FTS5 reads its index backwards and
# stops there, so a word found in most stories does not cost a pass over all of them.
FTS_NEWEST = f"COALESCE((SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s), 0)"  # noqa: E501, S608 - constant SQL


class Document(models.TextField):
    """FTS5's hidden column named after its table: `<table> MATCH <query>` searches every column."""


@Document.register_lookup
class Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class ArticleIndexEntry(models.Model):
    """A story's row in the FTS5 index (SQLite only; PostgreSQL has its own search columns)."""

    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        on_delete=models.DO_NOTHING,  # the triggers keep the index; Django must never query it
        related_name="+",
        related_query_name="index_entry",
    )
    document = Document(db_column=FTS_TABLE)

    class Meta:
        managed = False
        db_table = FTS_TABLE

    def __str__(self):
        return f"Search index of story {self.article_id}"


def fts5_query(query):
    """The reader's websearch-style query as an SQLite FTS5 MATCH expression, "" if nothing to find.

    Every word and phrase becomes an FTS5 string, so nothing the reader types is FTS5 syntax
    ("NEAR(", "*", "^", "col:", AND/OR/NOT stay words). All included terms must match, none of
    the excluded ones. No prefix matching: a prefix query costs FTS5 two to three times more.
    """
    include, exclude = query_terms(query)
    include, exclude = [t for t in include if _has_word(t)], [t for t in exclude if _has_word(t)]
    if not include:
        return ""
    expression = " AND ".join(_fts5_string(term) for term in include)
    if exclude:
        expression = f"({expression}) NOT ({' OR '.join(_fts5_string(term) for term in exclude)})"
    return expression


def _has_word(term):
    # The unicode61 tokenizer keeps letters and digits only: "%" or "🧊" would be an empty phrase.
    return any(ch.isalnum() for ch in term)


def _fts5_string(term):
    return '"' + term.replace('"', '""') + '"'


def search(queryset, query, limit):
    """`queryset` joined with the index, narrowed to the newest `limit` matches, best first."""
    expression = fts5_query(query)
    if not expression:
        return queryset.none()
    return (
        queryset.filter(
            index_entry__document__match=expression,
            pk__gte=RawSQL(FTS_NEWEST, [expression, limit - 1]),  # noqa: S611 - constant SQL
        )
        .annotate(rank=RawSQL(FTS_RANK, []))  # noqa: S611 - constant SQL of the joined index
        .order_by("-rank", "-published_at", "-pk")
    )
