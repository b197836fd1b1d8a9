"""Reader search: PostgreSQL full-text search, and a plain fallback where there is none (SQLite).

On PostgreSQL the headline weighs more than the lead, the lead more than the body; results
are ranked and come with a highlighted snippet. Migration 0005 indexes exactly the vector
built here, once per site language, so the words are stemmed in the site's language.
"""

import re
from functools import reduce
from operator import add, and_, or_

from django.conf import settings
from django.db import connection
from django.db.models import Case, IntegerField, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

MAX_QUERY_LENGTH = 200
MAX_FALLBACK_TERMS = 8
SEARCH_CONFIGS = {"en": "english", "ru": "russian"}  # the languages migration 0005 indexes
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


def search(queryset, query):
    """`queryset` narrowed to the stories matching `query`, the best match first."""
    if connection.vendor == "postgresql":
        return _postgres_search(queryset, query)
    return _fallback_search(queryset, query)


def _postgres_search(queryset, query):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    config = search_config()
    vector = (
        SearchVector("headline", weight="A", config=config)
        + SearchVector("lead", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )
    search_query = SearchQuery(query, search_type="websearch", config=config)
    return (
        queryset.alias(document=vector)
        .filter(document=search_query)
        .annotate(
            rank=SearchRank(vector, search_query),
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
    return include[:MAX_FALLBACK_TERMS], exclude[:MAX_FALLBACK_TERMS]


def _spellings(term):
    # SQLite's LIKE ignores case for ASCII letters only; cover the usual spellings of others.
    return {term, term.lower(), term.upper(), term.capitalize()} if not term.isascii() else {term}


def _contains(field, term):
    return reduce(or_, (Q(**{f"{field}__icontains": spelling}) for spelling in _spellings(term)))


def _fallback_search(queryset, query):
    include, exclude = query_terms(query)
    if not include:
        return queryset.none()
    fields = ("headline", "lead", "body")
    matches = [reduce(or_, (_contains(field, term) for field in fields)) for term in include]
    queryset = queryset.filter(reduce(and_, matches))
    for term in exclude:
        queryset = queryset.exclude(reduce(or_, (_contains(field, term) for field in fields)))
    weights = [
        Case(
            When(_contains("headline", term), then=Value(4)),
            When(_contains("lead", term), then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
        for term in include
    ]
    return queryset.annotate(rank=reduce(add, weights)).order_by("-rank", "-published_at", "-pk")


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
