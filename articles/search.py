"""Reader search: PostgreSQL full-text search, or SQLite's FTS5.

The headline weighs more than the lead, the lead more than the body; results are ranked. On
PostgreSQL, migration 0009 stores each story's weighted vector, once per site language, with a
GIN index, so the words are stemmed in the site's language, and the database cuts the
highlighted snippet.
On SQLite, migration 0008 keeps an FTS5 index of the three fields (words are not stemmed, case
and accents are ignored), ranked with bm25; the snippet is cut here.
"""

import re

from django.conf import settings
from django.db import connection
from django.db.models import TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
SEARCH_CONFIGS = {"en": "english", "ru": "russian"}  # the languages migration 0009 stores
SEARCH_COLUMNS = {"english": "search_en", "russian": "search_ru"}  # made by migration 0009
FTS_TABLE = "articles_article_fts"  # SQLite's FTS5 index, made by migration 0008
FTS_RANK = "-bm25(articles_article_fts, 4.0, 2.0, 1.0)"  # weights: headline, lead, body
MAX_RESULTS = 1000  # search ranks at most this many of the newest matching stories
# Only stories from the MAX_RESULTS-th newest match on (all, if fewer match): FTS5 reads its
# index backwards and stops there.
FTS_NEWEST = (
    "articles_article_fts.rowid >= COALESCE((SELECT rowid FROM articles_article_fts"
    " WHERE articles_article_fts MATCH %s ORDER BY rowid DESC LIMIT 1 OFFSET %s), 0)"
)
# Private-use characters mark matches until the snippet is escaped; editors never type them.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_CHARS = 220


def clean_query(raw):
    """What the reader typed, fit to search for: printable, single-spaced, at most 200 characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def search_config(language=None):
    """The text search configuration of the stories' language, which is the site's: LANGUAGE_CODE.

    Not the reader's interface language: English stories are stemmed as English for everyone.
    """
    code = (language or settings.LANGUAGE_CODE).split("-")[0].lower()
    return SEARCH_CONFIGS.get(code, "english")


def is_capped(count):
    """Whether `count` results are the MAX_RESULTS that search ranks, out of more."""
    return count >= MAX_RESULTS


def search(queryset, query):
    """`queryset` narrowed to the stories matching `query`, the best match first."""
    if connection.vendor == "postgresql":
        return _postgres_search(queryset, query)
    return _sqlite_search(queryset, query)


def _postgres_search(queryset, query):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery

    config = search_config()
    column = SEARCH_COLUMNS[config]
    meta = queryset.model._meta
    table, pk = connection.ops.quote_name(meta.db_table), connection.ops.quote_name(meta.pk.column)
    tsquery = "websearch_to_tsquery(%s::regconfig, %s)"
    # Migration 0009 stores each story's weighted vector (column), which the model does not
    # declare, hence RawSQL (constant SQL; the reader's query is a parameter). Ranking reads it,
    # and only the newest MAX_RESULTS matches (by id) are candidates: found through its GIN index
    # or, for a word most stories hold, by reading the newest stories until that many match. The
    # paginator's count is capped with them.
    newest = f"SELECT {pk} FROM {table} WHERE {column} @@ {tsquery} ORDER BY {pk} DESC LIMIT %s"  # noqa: S608
    rank = RawSQL(f"ts_rank({table}.{column}, {tsquery})", [config, query])  # noqa: S611
    search_query = SearchQuery(query, search_type="websearch", config=config)
    return (
        queryset.defer("body", "body_html")
        .filter(pk__in=RawSQL(newest, [config, query, MAX_RESULTS]))  # noqa: S611
        .annotate(
            rank=rank,
            # The database cuts the snippet of the page's stories only: it is computed after the
            # sort and the LIMIT, being costly and not a sort key.
            search_snippet=SearchHeadline(
                Concat("lead", Value("\n\n"), "body", output_field=TextField()),
                search_query,
                config=config,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-published_at", "-pk")
    )


def query_terms(query):
    """Words and "quoted phrases" of a websearch-style query; "-word" excludes, "or" is dropped."""
    include, exclude = [], []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query):
        term = (phrase or word).strip()
        negated = bool(word) and term.startswith("-")
        term = term.lstrip("-").strip("\"'")
        if not term or (word and term.lower() == "or"):
            continue
        (exclude if negated else include).append(term)
    return include[:MAX_TERMS], exclude[:MAX_TERMS]


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


def _sqlite_search(queryset, query):
    expression = fts5_query(query)
    if not expression:
        return queryset.none()
    meta = queryset.model._meta
    article = f"{connection.ops.quote_name(meta.db_table)}.{connection.ops.quote_name(meta.pk.column)}"
    # A join with the index: one query, bm25() computed once per candidate. The ORM cannot join
    # a virtual table, hence extra(); the count drops the rank and keeps the join. Ranking every
    # match of a word found in most stories would cost as much as a scan of all stories, so
    # only the newest MAX_RESULTS matches (by id) are candidates.
    return (
        queryset.defer("body_html")
        .extra(  # noqa: S610 -- constant SQL; the reader's query is a parameter
            select={"rank": FTS_RANK},
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = {article}", f"{FTS_TABLE} MATCH %s", FTS_NEWEST],
            params=[expression, expression, MAX_RESULTS - 1],
        )
        .order_by("-rank", "-published_at", "-pk")
    )


_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_LINE_MARKS = re.compile(r"^\s*(?:#{1,6}|>|[-*+]|\d+\.)\s+", re.MULTILINE)
_MARKDOWN_INLINE_MARKS = re.compile(r"[*`]")


def plain_text(markdown_text):
    """Story text without Markdown punctuation, for snippets."""
    text = _MARKDOWN_LINK.sub(r"\1", markdown_text)
    text = _MARKDOWN_LINE_MARKS.sub("", text)
    text = _MARKDOWN_INLINE_MARKS.sub("", text)
    return " ".join(text.split())


def snippet(article, query):
    """A short, safe HTML extract of the story with the matched words in <mark>."""
    marked = getattr(article, "search_snippet", None)
    if marked is None:
        marked = _mark_terms(plain_text(f"{article.lead}\n\n{article.body}"), query_terms(query)[0])
    else:
        marked = plain_text(marked)
    html = escape(marked).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    if html.count("<mark>") != html.count("</mark>"):  # a stray marker character in the text
        html = escape(marked.replace(MARK_START, "").replace(MARK_END, ""))
    return mark_safe(html)  # noqa: S308 -- escaped above; only our own <mark> tags added


def _mark_terms(text, terms):
    text = text.replace(MARK_START, "").replace(MARK_END, "")
    if not terms:
        return Truncator(text).chars(SNIPPET_CHARS)
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.I)
    first = pattern.search(text)
    start = 0
    if first and first.start() > SNIPPET_CHARS // 3:
        # Begin at a word a little before the first match.
        start = text.rfind(" ", 0, first.start() - SNIPPET_CHARS // 4) + 1
    extract = text[start:]
    if len(extract) > SNIPPET_CHARS:
        cut = extract.rfind(" ", 0, SNIPPET_CHARS)
        extract = extract[: cut if cut > 0 else SNIPPET_CHARS] + " …"
    if start:
        extract = "… " + extract
    return pattern.sub(lambda match: f"{MARK_START}{match.group(0)}{MARK_END}", extract)
