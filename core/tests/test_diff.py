from core.diff import word_diff


def test_changed_words_are_marked_and_the_rest_kept_as_it_was():
    html = word_diff("The quick brown fox\n\njumps", "The slow brown fox\n\njumps high")

    assert html == "The <del>quick</del><ins>slow</ins> brown fox\n\njumps<ins> high</ins>"


def test_both_texts_are_escaped():
    html = word_diff("a <b>bold</b> claim", 'a <script>alert("x")</script> claim')

    assert "<script>" not in html and "<b>" not in html
    assert "<del>&lt;b&gt;bold&lt;/b&gt;</del>" in html
    assert "<ins>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</ins>" in html


def test_empty_and_missing_texts():
    assert word_diff("", "") == ""
    assert word_diff(None, "new text") == "<ins>new text</ins>"
    assert word_diff("old text", None) == "<del>old text</del>"
