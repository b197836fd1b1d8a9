import pytest

from core.markup import render_markdown


@pytest.mark.parametrize(
    ("source", "forbidden"),
    [
        ("Hello <script>alert('x')</script> world", ["<script", "alert("]),
        ("<script src='https://evil.example/x.js'></script>", ["<script", "evil.example"]),
        ('<p onclick="steal()">Click</p>', ["onclick", "steal("]),
        ('<a href="https://example.com" onmouseover="steal()">x</a>', ["onmouseover", "steal("]),
        ('<img src="x" onerror="alert(1)">', ["<img", "onerror", "alert("]),
        ("![photo](x.jpg)", ["<img"]),
        ("[click me](javascript:alert(1))", ["javascript:", "alert("]),
        ('<a href="javascript:alert(1)">click</a>', ["javascript:", "alert("]),
        ('<a href="JaVaScRiPt:alert(1)">click</a>', ["javascript", "alert("]),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", ["data:"]),
        ('<iframe src="https://evil.example"></iframe>', ["<iframe", "evil.example"]),
        ("<style>body { display: none }</style>", ["<style", "display"]),
        ('<form action="/admin/"><input name="x"></form>', ["<form", "<input"]),
        ('<svg onload="alert(1)"><circle /></svg>', ["<svg", "onload"]),
        ('<div style="background:url(javascript:alert(1))">x</div>', ["style=", "javascript"]),
    ],
)
def test_dangerous_markup_never_survives(source, forbidden):
    html = render_markdown(source).lower()

    for fragment in forbidden:
        assert fragment.lower() not in html


def test_paragraphs_survive():
    assert render_markdown("One.\n\nTwo.") == "<p>One.</p>\n<p>Two.</p>"


def test_subheads_survive_but_a_second_h1_does_not():
    html = render_markdown("# Not a headline\n\n## Subhead\n\n### Smaller")

    assert "<h1" not in html
    assert "<h2>Subhead</h2>" in html
    assert "<h3>Smaller</h3>" in html


def test_links_survive_with_noopener():
    html = render_markdown('[Reuters](https://www.reuters.com/ "Agency") and [home](/world/)')

    assert '<a href="https://www.reuters.com/" title="Agency" rel="noopener">Reuters</a>' in html
    assert '<a href="/world/" rel="noopener">home</a>' in html


def test_emphasis_survives():
    assert (
        render_markdown("Some *italic* and **bold**.")
        == "<p>Some <em>italic</em> and <strong>bold</strong>.</p>"
    )


def test_blockquotes_survive():
    assert render_markdown("> Quoted words.") == "<blockquote>\n<p>Quoted words.</p>\n</blockquote>"


def test_lists_survive():
    html = render_markdown("- one\n- two\n\n1. first\n2. second")

    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in html


def test_text_that_looks_like_html_is_escaped_not_dropped():
    assert render_markdown("5 < 6 & 7 > 3") == "<p>5 &lt; 6 &amp; 7 &gt; 3</p>"


def test_empty_body_gives_empty_html():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
