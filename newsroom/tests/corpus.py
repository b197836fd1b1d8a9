"""Bad input, kept as data: what hostile or clumsy visitors send, and what the site must answer.

Driven by newsroom/tests/test_corpus.py. Each case names what it sends and the answer expected:
never a 5xx; every refusal a 4xx that says why in words (MESSAGE); typed text kept on the page.
"""

from core.markup import INVISIBLE_NAME

# Comment form. (id, changes to a valid guest form, expected status, text the answer must show)
# Special keys: "_csrf": False posts without a CSRF token; "_repeat": n posts the form n times
# (the last answer counts); "_headers": extra request headers; "_article": "draft"/"missing".
# Token values starting with "@" are made by the test: @tampered, @other, @fresh, @old, @garbage.
TOO_LONG = "x" * 3001
COMMENT = [
    # Scripts and markup: accepted as text, shown escaped, never run.
    ("xss-script", {"body": "<script>alert(1)</script>"}, 302, None),
    ("xss-img-onerror", {"body": '<img src=x onerror="alert(1)">'}, 302, None),
    ("xss-svg-onload", {"body": '"><svg onload=alert(1)>'}, 302, None),
    ("xss-javascript-url", {"body": "javascript:alert(1)"}, 302, None),
    ("xss-markdown-link", {"body": "[click](javascript:alert(1))"}, 302, None),
    ("xss-data-url", {"body": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="}, 302, None),
    ("xss-iframe", {"body": '<iframe src="https://evil.example"></iframe>'}, 302, None),
    ("xss-style", {"body": "<style>body{display:none}</style>"}, 302, None),
    ("xss-template-syntax", {"body": "{{ settings.SECRET_KEY }} {% debug %}"}, 302, None),
    ("xss-in-name", {"name": "<script>alert(1)</script>"}, 302, None),
    ("xss-name-quotes", {"name": '" onmouseover="alert(1)'}, 302, None),
    ("html-entities", {"body": "&lt;b&gt; &amp;amp; &#x3C;script&#x3E;"}, 302, None),
    ("sql-in-body", {"body": "'; DROP TABLE comments_comment; --"}, 302, None),
    ("sql-in-name", {"name": "Robert'); DROP TABLE students;--"}, 302, None),
    # Sizes and emptiness.
    ("overlong-body", {"body": TOO_LONG}, 400, "Comments can be at most 3000 characters long"),
    ("max-length-body", {"body": "y" * 3000}, 302, None),
    ("overlong-name", {"name": "n" * 51}, 400, "at most 50 characters"),
    ("overlong-email", {"email": "e" * 250 + "@example.com"}, 400, "email"),
    ("empty-body", {"body": ""}, 400, "Write a comment before posting."),
    ("spaces-body", {"body": "   \n\n\t  "}, 400, "Write a comment before posting."),
    ("zero-width-body", {"body": "\u200b\u200c\u200d\ufeff"}, 400, "Write a comment before posting."),
    ("nbsp-body", {"body": "\u00a0\u2003\u3000"}, 400, "Write a comment before posting."),
    ("empty-name", {"name": ""}, 400, "Enter your name."),
    ("spaces-name", {"name": "   "}, 400, "Enter your name."),
    ("zero-width-name", {"name": "\u200b\u200b"}, 400, INVISIBLE_NAME),
    ("rtl-override-only-name", {"name": "\u202e"}, 400, INVISIBLE_NAME),
    ("hangul-filler-name", {"name": "\u3164"}, 400, INVISIBLE_NAME),
    ("hangul-fillers-name", {"name": "\u3164 \u3164\u115f\u1160\uffa0"}, 400, INVISIBLE_NAME),
    ("braille-blank-name", {"name": "\u2800\u2800"}, 400, INVISIBLE_NAME),
    ("combining-marks-only-name", {"name": "\u0351\u0352\u0353"}, 400, INVISIBLE_NAME),
    ("enclosing-mark-only-name", {"name": "\u20dd"}, 400, INVISIBLE_NAME),
    ("word-joiner-name", {"name": "\u2060\u2061\u180e"}, 400, INVISIBLE_NAME),
    ("mixed-invisible-name", {"name": "\u200b\u3164\u2800\u0301\ufeff"}, 400, INVISIBLE_NAME),
    ("combining-marks-only-body", {"body": "\u0301\u0302\u0303"}, 400, "Write a comment before posting."),
    ("braille-blank-body", {"body": "\u2800\u2800\n\u3164"}, 400, "Write a comment before posting."),
    ("name-with-accent", {"name": "Zoe\u0301"}, 302, None),
    ("name-hangul-real", {"name": "\ud55c\uae00"}, 302, None),
    ("empty-email", {"email": ""}, 400, "Enter your email address."),
    ("missing-all", {"name": None, "email": None, "body": None, "token": None}, 400, "Write a comment"),
    # Odd characters: kept as typed.
    ("rtl-override-body", {"body": "Nice \u202egnp.exe story"}, 302, None),
    ("rtl-override-name", {"name": "Anna \u202eevil"}, 302, None),
    ("homoglyph-name-cyrillic", {"name": "Аdmin"}, 302, None),
    ("homoglyph-name-greek", {"name": "Εditor"}, 302, None),
    ("combining-marks", {"body": "Z\u0351\u0352\u0353a\u0354\u0355\u0356l\u0357\u0358go"}, 302, None),
    ("emoji", {"body": "Great story 👍🏽👨‍👩‍👧"}, 302, None),
    ("astral-name", {"name": "𝔄𝔫𝔫𝔞"}, 302, None),
    ("crlf-body", {"body": "one\r\ntwo\rthree\n\n\n\nfour"}, 302, None),
    ("nul-in-body", {"body": "before\x00after"}, 400, "Null characters are not allowed."),
    ("nul-in-name", {"name": "Ann\x00a"}, 400, "Null characters are not allowed."),
    ("control-chars", {"body": "bell\x07 escape\x1b[31m red"}, 302, None),
    ("lone-surrogate-ish", {"body": "\ufffd\ufffe text"}, 302, None),
    ("many-links", {"body": "https://a.example https://b.example https://c.example"}, 302, None),
    ("header-injection-name", {"name": "Ann\r\nBcc: x@example.com"}, 302, None),
    # Emails.
    ("email-invalid", {"email": "not-an-email"}, 400, "Enter a valid email address."),
    ("email-two-ats", {"email": "a@b@example.com"}, 400, "Enter a valid email address."),
    ("email-newline", {"email": "a@example.com\nBcc: b@example.com"}, 400, "Enter a valid email address."),
    ("email-unicode-local-part", {"email": "анна@пример.рф"}, 400, "Enter a valid email address."),
    ("email-unicode-domain", {"email": "anna@пример.рф"}, 302, None),
    # The form's guards.
    ("honeypot", {"website": "https://spam.example"}, 400, "Your comment looks automated."),
    ("token-tampered", {"token": "@tampered"}, 400, "This form could not be checked."),
    ("token-garbage", {"token": "@garbage"}, 400, "This form could not be checked."),
    ("token-missing", {"token": None}, 400, "This field is required."),
    ("token-other-article", {"token": "@other"}, 400, "This form belongs to another story."),
    ("token-too-fresh", {"token": "@fresh"}, 400, "faster than anyone can type"),
    ("token-too-old", {"token": "@old"}, 400, "This form was open for more than"),
    ("no-csrf", {"_csrf": False}, 403, None),
    ("flood", {"_repeat": 6}, 429, "You are commenting too fast."),
    (
        "flood-spoofed-x-forwarded-for",
        {"_repeat": 6, "_headers": {"HTTP_X_FORWARDED_FOR": "@rotate"}},
        429,
        "You are commenting too fast.",
    ),
    ("draft-article", {"_article": "draft"}, 404, "cannot be commented on"),
    ("missing-article", {"_article": "missing"}, 404, "cannot be commented on"),
]

# Uploads in the admin. (id, recipe, file name, content type, expected status, text the answer shows)
# Recipes: ("image", format, width, height), ("raw", bytes), ("truncated", format, bytes kept),
# ("bomb", width, height), ("append", format, bytes appended).
NOT_AN_IMAGE = "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF."
UPLOAD = [
    ("jpeg", ("image", "JPEG", 80, 60), "photo.jpg", "image/jpeg", 302, None),
    ("png", ("image", "PNG", 80, 60), "photo.png", "image/png", 302, None),
    ("webp", ("image", "WEBP", 80, 60), "photo.webp", "image/webp", 302, None),
    ("gif", ("image", "GIF", 80, 60), "photo.gif", "image/gif", 302, None),
    ("one-pixel", ("image", "PNG", 1, 1), "dot.png", "image/png", 302, None),
    ("png-named-jpg", ("image", "PNG", 80, 60), "photo.jpg", "image/jpeg", 302, None),
    ("jpeg-named-gif", ("image", "JPEG", 80, 60), "photo.gif", "image/gif", 302, None),
    ("no-extension", ("image", "JPEG", 80, 60), "photo", "application/octet-stream", 302, None),
    ("double-extension", ("image", "JPEG", 80, 60), "photo.jpg.php", "image/jpeg", 302, None),
    ("path-traversal-name", ("image", "JPEG", 80, 60), "../../../etc/passwd.jpg", "image/jpeg", 302, None),
    ("windows-path-name", ("image", "JPEG", 80, 60), "C:\\Users\\x\\photo.jpg", "image/jpeg", 302, None),
    ("unicode-name", ("image", "JPEG", 80, 60), "ñandú 📷 фото.jpeg", "image/jpeg", 302, None),
    ("long-name", ("image", "JPEG", 80, 60), "a" * 250 + ".jpg", "image/jpeg", 302, None),
    ("reserved-name", ("image", "JPEG", 80, 60), "con.jpg", "image/jpeg", 302, None),
    ("spaces-name", ("image", "JPEG", 80, 60), "  photo .jpg  ", "image/jpeg", 302, None),
    ("html-name", ("image", "JPEG", 80, 60), "<img src=x onerror=alert(1)>.jpg", "image/jpeg", 302, None),
    (
        "php-appended",
        ("append", "JPEG", b"<?php system($_GET['c']); ?>"),
        "shell.jpg",
        "image/jpeg",
        302,
        None,
    ),
    ("html-appended", ("append", "GIF", b"<script>alert(1)</script>"), "x.gif", "image/gif", 302, None),
    (
        "text-named-jpg",
        ("raw", b"Just some text, not a picture.\n" * 10),
        "photo.jpg",
        "image/jpeg",
        200,
        NOT_AN_IMAGE,
    ),
    (
        "html-named-png",
        ("raw", b"<html><script>alert(1)</script></html>"),
        "a.png",
        "image/png",
        200,
        NOT_AN_IMAGE,
    ),
    ("php-named-gif", ("raw", b"<?php echo 'owned'; ?>"), "a.gif", "image/gif", 200, NOT_AN_IMAGE),
    (
        "pdf",
        ("raw", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
        "a.pdf",
        "application/pdf",
        200,
        NOT_AN_IMAGE,
    ),
    ("zip", ("raw", b"PK\x03\x04" + b"\0" * 60), "a.jpg", "image/jpeg", 200, NOT_AN_IMAGE),
    ("exe", ("raw", b"MZ\x90\x00" + b"\0" * 60), "a.jpg", "image/jpeg", 200, NOT_AN_IMAGE),
    (
        "svg",
        ("raw", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        "a.svg",
        "image/svg+xml",
        200,
        NOT_AN_IMAGE,
    ),
    (
        "svg-named-png",
        ("raw", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
        "a.png",
        "image/png",
        200,
        NOT_AN_IMAGE,
    ),
    (
        "polyglot-gif-js",
        ("raw", b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=alert(1)//;"),
        "a.gif",
        "image/gif",
        200,
        NOT_AN_IMAGE,
    ),
    ("bmp", ("image", "BMP", 40, 30), "a.bmp", "image/bmp", 200, "BMP images are not accepted."),
    ("bmp-named-jpg", ("image", "BMP", 40, 30), "a.jpg", "image/jpeg", 200, "BMP images are not accepted."),
    ("tiff", ("image", "TIFF", 40, 30), "a.tif", "image/tiff", 200, "TIFF images are not accepted."),
    ("ico", ("image", "ICO", 32, 32), "a.ico", "image/x-icon", 200, "ICO images are not accepted."),
    ("ppm", ("image", "PPM", 40, 30), "a.jpg", "image/jpeg", 200, "PPM images are not accepted."),
    ("truncated-jpeg", ("truncated", "JPEG", 600), "a.jpg", "image/jpeg", 200, "damaged or incomplete"),
    ("truncated-png", ("truncated", "PNG", 120), "a.png", "image/png", 200, "damaged or incomplete"),
    ("header-only-jpeg", ("truncated", "JPEG", 20), "a.jpg", "image/jpeg", 200, NOT_AN_IMAGE),
    ("magic-only-png", ("raw", b"\x89PNG\r\n\x1a\n"), "a.png", "image/png", 200, NOT_AN_IMAGE),
    ("empty", ("raw", b""), "a.jpg", "image/jpeg", 200, "The submitted file is empty."),
    ("bomb-png", ("bomb", 50_000, 50_000), "bomb.png", "image/png", 200, "too many to be processed safely"),
    ("bomb-wide", ("bomb", 1_000_000, 100), "wide.png", "image/png", 200, "too many to be processed safely"),
    (
        "huge-dimensions",
        ("bomb", 7000, 7000),
        "big.png",
        "image/png",
        200,
        "more than the 40 megapixels allowed",
    ),
    ("zero-dimensions", ("bomb", 0, 0), "zero.png", "image/png", 200, NOT_AN_IMAGE),
]

# Reader URLs. (id, path, query, headers, allowed statuses, text the answer shows)
# "{short}" is the published story's short code; "{story}" its path; "{draft}" a draft's path.
NOT_FOUND = "404"
GET = [
    ("short-known", "/s/{short}", {}, {}, {301}, None),
    ("short-unknown", "/s/zzzzzzz", {}, {}, {404}, None),
    ("short-empty", "/s/", {}, {}, {404}, None),
    ("short-overlong", "/s/" + "b" * 500, {}, {}, {404}, None),
    ("short-encoded-slash", "/s/%2F%2Fevil.example", {}, {}, {404}, None),
    ("short-double-slash", "/s//evil.example", {}, {}, {404}, None),
    ("short-protocol-relative", "//evil.example", {}, {}, {200, 301, 302, 404}, None),
    ("short-backslashes", "/s/\\\\evil.example", {}, {}, {404}, None),
    ("short-unicode", "/s/ｂｃｄｆｇｈｊ", {}, {}, {404}, None),
    ("short-sql", "/s/' OR '1'='1", {}, {}, {404}, None),
    ("short-nul", "/s/abc%00def", {}, {}, {404}, None),
    ("short-dot-dot", "/s/..%2F..%2Fadmin", {}, {}, {404}, None),
    ("short-draft", "/s/{draft_short}", {}, {}, {404}, None),
    ("short-next-param", "/s/{short}", {"next": "//evil.example"}, {}, {301}, None),
    ("story", "{story}", {}, {}, {200}, None),
    ("draft", "{draft}", {}, {}, {404}, None),
    ("slug-unknown", "/world/2026/01/01/no-such-story/", {}, {}, {404}, None),
    ("slug-unicode", "/world/2026/01/01/истории/", {}, {}, {404}, None),
    ("slug-overlong", "/world/2026/01/01/" + "s" * 600 + "/", {}, {}, {404}, None),
    ("slug-bad-month", "/world/2026/13/40/x/", {}, {}, {404}, None),
    ("slug-text-date", "/world/2026/ab/cd/x/", {}, {}, {404}, None),
    ("slug-nul-in-month", "/world/2026/0%00/01/x/", {}, {}, {404}, None),
    ("slug-nul-in-day", "/world/2026/01/0%00/x/", {}, {}, {404}, None),
    ("slug-nul-in-slug", "/world/2026/01/01/x%00y/", {}, {}, {404}, None),
    ("tag-nul", "/tag/x%00y/", {}, {}, {404}, None),
    ("author-nul", "/author/x%00y/", {}, {}, {404}, None),
    ("section-nul", "/x%00y/", {}, {}, {404}, None),
    ("slug-huge-year", "/world/99999999999999999999/01/01/x/", {}, {}, {404}, None),
    ("slug-dots", "/world/2026/01/01/../../admin/", {}, {}, {200, 301, 302, 404}, None),
    ("section-unknown", "/no-such-section/", {}, {}, {404}, None),
    ("section-encoded", "/%E2%80%AE/", {}, {}, {404}, None),
    ("tag-unknown", "/tag/no-such-tag/", {}, {}, {404}, None),
    ("author-unknown", "/author/nobody/", {}, {}, {404}, None),
    ("archive-bad-day", "/archive/2026/2/30/", {}, {}, {404}, None),
    ("archive-year-zero", "/archive/0/", {}, {}, {404}, None),
    ("archive-huge-year", "/archive/999999999999/", {}, {}, {404}, None),
    ("archive-month-zero", "/archive/2026/0/", {}, {}, {404}, None),
    ("page-zero", "/world/", {"page": "0"}, {}, {200}, None),
    ("page-negative", "/world/", {"page": "-1"}, {}, {200}, None),
    ("page-huge", "/world/", {"page": "99999999999999999999"}, {}, {200}, None),
    ("page-text", "/world/", {"page": "abc"}, {}, {200}, None),
    ("page-float", "/world/", {"page": "1e9"}, {}, {200}, None),
    ("page-empty", "/world/", {"page": ""}, {}, {200}, None),
    ("page-last", "/world/", {"page": "last"}, {}, {200}, None),
    ("page-nul", "/world/", {"page": "1\x00"}, {}, {200}, None),
    ("page-archive-huge", "/archive/2026/", {"page": "10**9"}, {}, {200}, None),
    ("comment-page-huge", "{story}", {"cpage": "99999999"}, {}, {200}, None),
    ("comment-page-text", "{story}", {"cpage": "<script>"}, {}, {200}, None),
    ("search-empty", "/search/", {"q": ""}, {}, {200}, None),
    ("search-long", "/search/", {"q": "word " * 2000}, {}, {200}, None),
    ("search-sql", "/search/", {"q": "' OR 1=1 --"}, {}, {200}, None),
    ("search-script", "/search/", {"q": "<script>alert(1)</script>"}, {}, {200}, None),
    ("search-nul", "/search/", {"q": "a\x00b"}, {}, {200}, None),
    ("search-tsquery-operators", "/search/", {"q": "& | ! :* <-> ( ) '"}, {}, {200}, None),
    ("search-only-punctuation", "/search/", {"q": "?!.,;:"}, {}, {200}, None),
    ("search-unicode", "/search/", {"q": "переговоры 会谈 مفاوضات"}, {}, {200}, None),
    ("search-rtl-override", "/search/", {"q": "\u202egeneva"}, {}, {200}, None),
    ("search-percent", "/search/", {"q": "100% _wild_ %"}, {}, {200}, None),
    ("search-backslash", "/search/", {"q": "\\\\ \\x00 \\"}, {}, {200}, None),
    ("search-with-page", "/search/", {"q": "story", "page": "-5"}, {}, {200}, None),
    ("host-evil", "/", {}, {"HTTP_HOST": "evil.example"}, {400}, None),
    ("host-with-port", "/", {}, {"HTTP_HOST": "127.0.0.1:8000"}, {200}, None),
    ("host-empty", "/", {}, {"HTTP_HOST": ""}, {200, 400}, None),
    ("host-unicode", "/", {}, {"HTTP_HOST": "nеws.example"}, {400}, None),
    ("host-userinfo", "/", {}, {"HTTP_HOST": "127.0.0.1@evil.example"}, {400}, None),
    ("host-forwarded", "/", {}, {"HTTP_X_FORWARDED_HOST": "evil.example"}, {200}, None),
    ("host-overlong", "/", {}, {"HTTP_HOST": "a" * 300 + ".example"}, {400}, None),
    # Django's host check lets any digits through as a port; pages print the host in their links.
    ("host-port-too-big", "/", {}, {"HTTP_HOST": "127.0.0.1:99999"}, {400}, None),
    ("host-port-65536", "{story}", {}, {"HTTP_HOST": "127.0.0.1:65536"}, {400}, None),
    ("host-port-zero", "/", {}, {"HTTP_HOST": "127.0.0.1:0"}, {400}, None),
    ("host-port-leading-zero", "/", {}, {"HTTP_HOST": "127.0.0.1:0080"}, {400}, None),
    ("host-port-huge", "/s/{short}", {}, {"HTTP_HOST": "localhost:" + "9" * 40}, {400}, None),
    ("host-port-text", "/", {}, {"HTTP_HOST": "127.0.0.1:abc"}, {400}, None),
    ("host-port-negative", "/", {}, {"HTTP_HOST": "127.0.0.1:-1"}, {400}, None),
    ("host-port-empty", "/", {}, {"HTTP_HOST": "127.0.0.1:"}, {400}, None),
    ("host-port-twice", "/", {}, {"HTTP_HOST": "127.0.0.1:80:80"}, {400}, None),
    ("host-ipv6-port-too-big", "/", {}, {"HTTP_HOST": "[::1]:99999"}, {400}, None),
    ("host-port-too-big-https", "/", {}, {"HTTP_HOST": "127.0.0.1:99999", "secure": True}, {400}, None),
    ("host-port-max", "/", {}, {"HTTP_HOST": "127.0.0.1:65535"}, {200}, None),
    ("host-ipv6-port", "/", {}, {"HTTP_HOST": "[::1]:8080"}, {200}, None),
    ("feed-unknown-section", "/feeds/section/nothing/rss/", {}, {}, {404}, None),
    ("feed-unknown-tag", "/feeds/tag/nothing/atom/", {}, {}, {404}, None),
    ("comment-permalink-unknown", "/comments/999999999/", {}, {}, {404}, None),
    ("comment-permalink-huge", "/comments/99999999999999999999999/", {}, {}, {404}, None),
    ("comment-post-get", "/comments/{article_id}/post/", {}, {}, {405}, None),
]

# The new-comments endpoint. (id, query ("{since}" is a moment before any comment), status, text)
NEW_COMMENTS = [
    ("since-valid", {"since": "{since}"}, 200, None),
    ("since-missing", {}, 400, "must be a time in microseconds"),
    ("since-empty", {"since": ""}, 400, "must be a time in microseconds"),
    ("since-text", {"since": "yesterday"}, 400, "must be a time in microseconds"),
    ("since-float", {"since": "1.5e15"}, 400, "must be a time in microseconds"),
    ("since-huge", {"since": "9" * 40}, 400, "must be a time in microseconds"),
    ("since-negative", {"since": "-1"}, 200, None),
    ("since-very-negative", {"since": "-" + "9" * 30}, 400, "must be a time in microseconds"),
    ("since-zero", {"since": "0"}, 200, None),
    ("since-script", {"since": "<script>"}, 400, "must be a time in microseconds"),
    ("since-nul", {"since": "1\x002"}, 400, "must be a time in microseconds"),
    ("since-twice", {"since": ["0", "abc"]}, 400, "must be a time in microseconds"),
    ("after-instead", {"after": "0"}, 400, "must be a time in microseconds"),
    ("since-and-after", {"since": "0", "after": "<script>"}, 200, None),
    ("draft-article", {"since": "0", "_article": "draft"}, 404, None),
    ("missing-article", {"since": "0", "_article": "missing"}, 404, None),
]

# Form posts with a body the site cannot read. (id, path, content type, body, CSRF cookie sent,
# allowed statuses, text the answer shows). "{article_id}" / "{comment_id}": the story and one of
# its comments; the body carries a CSRF token matching the cookie when one is sent.
# Forms are UTF-8 only (Django refuses any other charset with a 400): the answer is a readable 400
# page, never the 500 Django's own 400 page gave by reading the refused body again.
UNREADABLE = "Your browser sent a request we cannot read"
_FORM_URLS = [
    ("comment", "/comments/{article_id}/post/"),
    ("report", "/comments/{comment_id}/report/"),
    ("login", "/accounts/login/"),
    ("admin-login", "/admin/login/"),
    ("signup", "/accounts/signup/"),
    ("password-reset", "/accounts/password/reset/"),
]
_FORM = "application/x-www-form-urlencoded"
_LATIN_BODY = b"name=Jos%E9&body=Caf%E9+cr%E8me&login=jos%E9&password=x&email=a%40example.com"
POST_BODY = [
    *[
        (f"{name}-{charset}", url, f"{_FORM}; charset={charset}", _LATIN_BODY, True, {400}, UNREADABLE)
        for name, url in _FORM_URLS
        for charset in ("latin-1", "iso-8859-1", "windows-1251", "utf-16")
    ],
    *[
        (f"{name}-latin-1-no-cookie", url, f"{_FORM}; charset=latin-1", _LATIN_BODY, False, {400, 403}, None)
        for name, url in _FORM_URLS
    ],
    # An unknown charset is ignored (UTF-8 is read); the answer is the form's own.
    *[
        (
            f"{name}-unknown-charset",
            url,
            f"{_FORM}; charset=no-such-charset",
            _LATIN_BODY,
            True,
            {200, 302, 400, 429},
            None,
        )
        for name, url in _FORM_URLS
    ],
    (
        "comment-empty-charset",
        "/comments/{article_id}/post/",
        f"{_FORM}; charset=",
        b"body=x",
        True,
        {400},
        None,
    ),
    (
        "comment-bad-utf8",
        "/comments/{article_id}/post/",
        f"{_FORM}; charset=utf-8",
        b"body=%FF%FE",
        True,
        {400},
        None,
    ),
    ("comment-raw-bytes", "/comments/{article_id}/post/", _FORM, b"body=\xff\xfe\x00", True, {400}, None),
    ("comment-json", "/comments/{article_id}/post/", "application/json", b'{"body": "x"}', True, {403}, None),
    ("comment-text-plain", "/comments/{article_id}/post/", "text/plain", b"body=x", True, {403}, None),
    (
        "comment-multipart-no-boundary",
        "/comments/{article_id}/post/",
        "multipart/form-data",
        b"body=x",
        True,
        {400},
        None,
    ),
    (
        "comment-multipart-bad-boundary",
        "/comments/{article_id}/post/",
        "multipart/form-data; boundary=\x00\x01",
        b"--\x00\x01\r\nbroken",
        True,
        {400},
        None,
    ),
]

# Methods. (id, method, path, allowed statuses). The site takes GET, HEAD, POST and OPTIONS only.
_METHOD_PATHS = [
    ("home", "/"),
    ("story", "{story}"),
    ("section", "/world/"),
    ("tag", "/tag/diplomacy/"),
    ("search", "/search/?q=talks"),
    ("short", "/s/{short}"),
    ("feed", "/feeds/section/world/rss/"),
    ("new-comments", "/comments/{article_id}/new/?since=0"),
    ("comment-post", "/comments/{article_id}/post/"),
    ("report", "/comments/{comment_id}/report/"),
    ("login", "/accounts/login/"),
    ("admin", "/admin/"),
    ("robots", "/robots.txt"),
    ("sitemap", "/sitemap.xml"),
    ("unknown", "/no-such-page/"),
]
METHODS = [
    *[(f"trace-{name}", "TRACE", path, {405}) for name, path in _METHOD_PATHS],
    *[
        (f"{method.lower()}-{name}", method, path, {405})
        for method in ("PUT", "DELETE", "PATCH", "CONNECT", "PROPFIND", "BREW")
        for name, path in _METHOD_PATHS[:4]
    ],
    ("head-new-comments", "HEAD", "/comments/{article_id}/new/?since=0", {200}),
    ("head-new-comments-bad-since", "HEAD", "/comments/{article_id}/new/?since=x", {400}),
    ("head-story", "HEAD", "{story}", {200}),
    ("head-home", "HEAD", "/", {200}),
    ("head-feed", "HEAD", "/feeds/section/world/rss/", {200}),
    ("head-comment-post", "HEAD", "/comments/{article_id}/post/", {405}),
    ("options-home", "OPTIONS", "/", {200, 405}),
    ("lowercase-get", "get", "/", {200, 405}),
]

# Sign-in (allauth's page, with the sign-in throttle). (id, changes to a sign-in with a wrong
# password for an editor, TRUSTED_PROXY_COUNT, expected status, text the answer must show)
# Special keys: "_headers": extra request headers ("@rotate" is a new address each time);
# "_repeat": n posts (the last answer counts); "_csrf": False; "_then_right": the right password
# after the repeats.
WRONG = "The username and/or password you specified are not correct."
PAUSED = "Too many failed attempts to log in"
SIGNIN = [
    ("wrong-password", {}, 0, 200, WRONG),
    ("right-password", {"password": "@right"}, 0, 302, None),
    ("missing-fields", {"login": None, "password": None}, 0, 200, "This field is required."),
    ("login-nul", {"login": "desk\x00"}, 0, 200, "Null characters are not allowed."),
    ("login-overlong", {"login": "a" * 10_000}, 0, 200, None),
    ("login-sql", {"login": "' OR '1'='1' --"}, 0, 200, WRONG),
    ("login-script", {"login": "<script>alert(1)</script>"}, 0, 200, WRONG),
    ("login-rtl-override", {"login": "\u202eksed"}, 0, 200, WRONG),
    ("login-zero-width", {"login": "de\u200bsk"}, 0, 200, WRONG),
    ("login-email-injection", {"login": "desk@example.com\nBcc: x@example.com"}, 0, 200, None),
    ("password-overlong", {"password": "x" * 5000}, 0, 200, WRONG),
    ("password-nul", {"password": "a\x00b"}, 0, 200, None),
    ("next-protocol-relative", {"password": "@right", "next": "//evil.example/"}, 0, 302, None),
    ("next-javascript", {"password": "@right", "next": "javascript:alert(1)"}, 0, 302, None),
    ("next-backslashes", {"password": "@right", "next": "/\\\\evil.example"}, 0, 302, None),
    ("no-csrf", {"_csrf": False}, 0, 403, None),
    # X-Forwarded-For as a visitor may write it: never believed beyond our proxies, never a 500.
    ("xff-garbage", {"_headers": {"HTTP_X_FORWARDED_FOR": "not-an-address"}}, 1, 200, WRONG),
    ("xff-empty-entries", {"_headers": {"HTTP_X_FORWARDED_FOR": " , , "}}, 1, 200, WRONG),
    ("xff-shorter-than-count", {"_headers": {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}}, 2, 200, WRONG),
    ("xff-with-port", {"_headers": {"HTTP_X_FORWARDED_FOR": "203.0.113.5:4444"}}, 1, 200, WRONG),
    (
        "xff-overlong",
        {"_headers": {"HTTP_X_FORWARDED_FOR": "192.0.2.1, " * 3000 + "203.0.113.5"}},
        1,
        200,
        WRONG,
    ),
    ("xff-script", {"_headers": {"HTTP_X_FORWARDED_FOR": "<script>alert(1)</script>"}}, 1, 200, WRONG),
    ("xff-nul", {"_headers": {"HTTP_X_FORWARDED_FOR": "203.0.113.5\x00"}}, 1, 200, WRONG),
    ("xff-fullwidth-digits", {"_headers": {"HTTP_X_FORWARDED_FOR": "２０３.０.１１３.５"}}, 1, 200, WRONG),
    ("xff-ipv6", {"_headers": {"HTTP_X_FORWARDED_FOR": "2001:db8::1"}}, 1, 200, WRONG),
    ("xff-ipv6-zone", {"_headers": {"HTTP_X_FORWARDED_FOR": "fe80::1%eth0"}}, 1, 200, WRONG),
    (
        "client-ip-header-spoofed",
        {"_headers": {"HTTP_X_REAL_IP": "192.0.2.1", "HTTP_CF_CONNECTING_IP": "x"}},
        1,
        200,
        WRONG,
    ),
    # Guessing one editor's password from ever-new addresses: delayed, the right one too.
    (
        "guess-rotating-addresses",
        {"_repeat": 8, "_headers": {"HTTP_X_FORWARDED_FOR": "@rotate"}},
        1,
        429,
        PAUSED,
    ),
    (
        "guess-rotating-then-right",
        {"_repeat": 6, "_then_right": True, "_headers": {"HTTP_X_FORWARDED_FOR": "@rotate"}},
        1,
        429,
        PAUSED,
    ),
    (
        "guess-forged-rotation-no-proxy",
        {"_repeat": 6, "_headers": {"HTTP_X_FORWARDED_FOR": "@rotate"}},
        0,
        429,
        PAUSED,
    ),
]

# The "Most read" view beacon (POST /beacon/view/). (id, body, headers, expected status, counted)
# "{story}" / "{draft}" in the body: the published story's id / a draft's. Headers replace a
# browser's defaults; "_repeat": n beacons from one address (the last answer counts).
NOT_A_STORY_ID = "Not a story id."
_BROWSER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
BEACON = [
    ("beacon-story", "id={story}", {}, 204, True),
    ("beacon-unknown-id", "id=987654321", {}, 204, False),
    ("beacon-draft", "id={draft}", {}, 204, False),
    ("beacon-text-id", "id=abc", {}, 400, False),
    ("beacon-sql-id", "id=1%20OR%201%3D1", {}, 400, False),
    ("beacon-negative-id", "id=-5", {}, 400, False),
    ("beacon-huge-id", "id=" + "9" * 40, {}, 400, False),
    ("beacon-nul-id", "id={story}%00", {}, 400, False),
    ("beacon-no-id", "story=1", {}, 400, False),
    ("beacon-json-body", '{"id": 1}', {"content_type": "application/json"}, 400, False),
    (
        "beacon-googlebot",
        "id={story}",
        {"HTTP_USER_AGENT": "Googlebot/2.1 (+http://www.google.com/bot.html)"},
        204,
        False,
    ),
    ("beacon-no-user-agent", "id={story}", {"HTTP_USER_AGENT": ""}, 204, False),
    ("beacon-curl", "id={story}", {"HTTP_USER_AGENT": "curl/8.5.0"}, 204, False),
    ("beacon-cross-site", "id={story}", {"HTTP_SEC_FETCH_SITE": "cross-site"}, 204, False),
    ("beacon-flood", "id={story}", {"_repeat": 40}, 429, True),
    (
        "beacon-forged-forwarded-for",
        "id={story}",
        {"_repeat": 40, "HTTP_X_FORWARDED_FOR": "@rotate"},
        429,
        True,
    ),
]
