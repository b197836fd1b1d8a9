"""What a reader typed into the search box, cleaned and split into what to find."""

import re

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8


def clean_query(raw):
    """What the reader typed, fit to search for: printable, single-spaced, at most 200 characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


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
