"""Text people type, made into HTML that is safe to print as it is.

Editors write Markdown (stories, the community standards); readers write plain text (comments),
shown escaped, with its paragraphs and clickable links. Both are rendered once, when saved, and
stored beside the text.
"""

import re
import unicodedata

import markdown
import nh3
from django.utils.html import linebreaks, urlize
from django.utils.translation import gettext_lazy as _

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "a", "em", "strong", "blockquote", "ul", "ol", "li",
    "br", "hr", "code", "pre", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
# Zero-width and other invisible format characters, and combining marks with nothing to sit on:
# a text made only of them is empty.
_INVISIBLE = {"Cf", "Zs", "Zl", "Zp", "Cc", "Mn", "Me"}
# Letters and symbols that draw nothing: Hangul fillers, the blank Braille pattern.
_BLANK_CHARACTERS = set("\u115f\u1160\u3164\uffa0\u2800")
INVISIBLE_NAME = _("This name shows nothing on the page: enter a name with letters readers can see.")


def render_markdown(text):
    """An editor's Markdown as HTML into which no editor can put a script."""
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )


def normalize_text(text):
    """Unix newlines, no trailing spaces on lines, at most one blank line in a row."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def is_blank(text):
    """Whether a text shows nothing at all: spaces, zero-width and filler characters, lone marks."""
    return all(char in _BLANK_CHARACTERS or unicodedata.category(char) in _INVISIBLE for char in text or "")


def render_plain_text(text):
    """A reader's plain text as escaped paragraphs; links become clickable, marked nofollow ugc."""
    # urlize escapes everything that is not a link it makes, so the result is safe to mark safe.
    html = urlize(normalize_text(text), trim_url_limit=60, nofollow=True, autoescape=True)
    html = html.replace(' rel="nofollow"', ' rel="nofollow ugc"')
    return linebreaks(html)
