"""Reader search: PostgreSQL's full-text search (postgres.py), or SQLite's FTS5 (fts5.py).

The headline weighs more than the lead, the lead more than the body; results are ranked, and only
the newest MAX_RESULTS matches are (a word in every story must not cost a pass over all of them).
The snippet under each result is cut by PostgreSQL, or here from the story's text on SQLite.
"""

import re

from django.conf import settings
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from . import fts5, postgres
from .fts5 import FTS_TABLE, fts5_query  # noqa: F401 - the SQLite side, re-exported
from .terms import MAX_QUERY_LENGTH, clean_query, query_terms  # noqa: F401 - re-exported

MAX_RESULTS = 1000  # search ranks at most this many of the newest matching stories
# Private-use characters mark matches until the snippet is escaped; editors never type them.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_CHARS = 220


def search_config(language=None):
    """The text search configuration of the stories' language, which is the site's: LANGUAGE_CODE.

    Not the reader's interface language: English stories are stemmed as English for everyone.
    """
    code = (language or settings.LANGUAGE_CODE).split("-")[0].lower()
    return postgres.SEARCH_CONFIGS.get(code, "english")


def is_capped(count):
    """Whether `count` results are the MAX_RESULTS that search ranks, out of more."""
    return count >= MAX_RESULTS


def search(queryset, query):
    """`queryset` narrowed to the stories matching `query`, the best match first."""
    if connection.vendor == "postgresql":
        marks = (MARK_START, MARK_END)
        return postgres.search(queryset, query, config=search_config(), limit=MAX_RESULTS, marks=marks)
    return fts5.search(queryset.defer("body_html"), query, limit=MAX_RESULTS)


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
