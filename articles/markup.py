"""Editors write Markdown; readers get HTML that no editor can put a script into."""

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "a", "em", "strong", "blockquote", "ul", "ol", "li",
    "br", "hr", "code", "pre", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text):
    html = markdown.markdown(text or "", extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )
