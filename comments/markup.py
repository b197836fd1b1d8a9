"""Readers type plain text; the page shows it escaped, with its paragraphs and clickable links."""

import re
import unicodedata

from django.utils.html import linebreaks, urlize

# Zero-width and other invisible format characters: a comment made only of them is empty.
_INVISIBLE = {"Cf", "Zs", "Zl", "Zp", "Cc"}


def normalize_text(text):
    """Unix newlines, no trailing spaces on lines, at most one blank line in a row."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def is_blank(text):
    return all(unicodedata.category(char) in _INVISIBLE for char in text or "")


def render_comment(text):
    # urlize escapes everything that is not a link it makes, so the result is safe to mark safe.
    html = urlize(normalize_text(text), trim_url_limit=60, nofollow=True, autoescape=True)
    html = html.replace(' rel="nofollow"', ' rel="nofollow ugc"')
    return linebreaks(html)
