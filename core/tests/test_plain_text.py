from core.markup import is_blank, normalize_text, render_plain_text


def test_paragraphs_and_line_breaks_are_kept():
    html = render_plain_text("First paragraph,\nsame paragraph.\n\n\n\nSecond paragraph.")
    assert html == "<p>First paragraph,<br>same paragraph.</p>\n\n<p>Second paragraph.</p>"


def test_links_are_clickable_nofollow_ugc():
    html = render_plain_text("See https://example.com/report?a=1&b=2 and www.example.org")
    assert '<a href="https://example.com/report?a=1&amp;b=2" rel="nofollow ugc">' in html
    assert 'href="https://www.example.org"' in html or 'href="http://www.example.org"' in html
    assert html.count('rel="nofollow ugc"') == 2


def test_markup_is_shown_as_text():
    html = render_plain_text(
        '<script>alert("x")</script> <img src=x onerror=alert(1)> <a href="javascript:x">y</a>'
    )
    assert "<script" not in html and "<img" not in html and '<a href="javascript' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_javascript_urls_are_not_linked():
    assert "<a " not in render_plain_text("javascript:alert(document.cookie)")


def test_normalize_text_trims_and_folds_blank_lines():
    assert normalize_text("  \r\nHello  \r\n\r\n\r\n\r\nWorld \n ") == "Hello\n\nWorld"


def test_invisible_characters_make_a_blank_comment():
    assert is_blank("   \n\t \u200b\u200d\u00a0")
    assert not is_blank(" a ")
    # Fillers, the blank Braille pattern and combining marks with nothing to sit on draw nothing.
    for blank in ("\u3164", "\u115f\u1160\uffa0", "\u2800", "\u0301\u0302", "\u20dd", "\u2060\u180e"):
        assert is_blank(blank), repr(blank)
    for visible in ("e\u0301", "\ud55c", "\u2801", "\u3164a"):
        assert not is_blank(visible), repr(visible)
