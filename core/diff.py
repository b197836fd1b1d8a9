"""Word-by-word differences between two texts, as HTML: removed words in <del>, added in <ins>."""

import difflib
import re

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

# Words and the spaces between them, each a token: spacing and newlines are kept as typed.
_TOKENS = re.compile(r"\S+|\s+")


def word_diff(old, new):
    """HTML of `new` with the words taken out of `old` in <del> and the words put in in <ins>."""
    old_words, new_words = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(("", "".join(new_words[b1:b2])))
            continue
        if a2 > a1:
            parts.append(("del", "".join(old_words[a1:a2])))
        if b2 > b1:
            parts.append(("ins", "".join(new_words[b1:b2])))
    return format_html_join(
        "", "{}", ((format_html("<{0}>{1}</{0}>", tag, text) if tag else text,) for tag, text in parts)
    ) or mark_safe("")
