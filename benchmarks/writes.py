"""Writers: guests posting comments under load, and how soon a change reaches an anonymous reader.

Both run in the benchmark's own process with its settings (config.setup_django): the comment form's
signed token is made here, with the secret key gunicorn was given.
"""

import http.client
import json
import secrets
import threading
import time
import urllib.parse

# How long the freshness check waits for a change to show before it gives up.
VISIBLE_WITHIN = 30


def post_comments(port, article_id, seconds, guests=8):
    """Guests posting comments as fast as they can, each with its own CSRF token from /csrf/, as the
    page's script fetches it. A 302 (to the comment) is a success."""
    from comments.forms import make_token

    latencies, statuses, lock = [], {}, threading.Lock()
    deadline = time.monotonic() + seconds

    def guest(n):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/csrf/")
        response = conn.getresponse()
        token = json.loads(response.read())["token"]
        cookie = response.getheader("Set-Cookie").split(";")[0]
        k = 0
        while time.monotonic() < deadline:
            k += 1
            form = {
                "name": f"Bench guest {n}",
                "email": f"bench{n}@example.com",
                "body": f"Benchmark comment {n}-{k}-{secrets.token_hex(4)}.",
                "website": "",
                "token": make_token(article_id, time.time() - 10),
                "csrfmiddlewaretoken": token,
            }
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request(
                "POST",
                f"/comments/{article_id}/post/",
                urllib.parse.urlencode(form),
                {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
            )
            status = conn.getresponse().status
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.monotonic()
    pool = [threading.Thread(target=guest, args=(n,)) for n in range(guests)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    took = time.monotonic() - started
    latencies = sorted(latencies) or [float("nan")]
    return {
        "rps": sum(statuses.values()) / took,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[int(len(latencies) * 0.99)],
        "errors": sum(n for status, n in statuses.items() if status != 302),
    }


def seconds_until_visible(port, path, text, timeout=VISIBLE_WITHIN):
    """How long until an anonymous GET of `path` shows `text` (None: not within `timeout`)."""
    started, answer = time.monotonic(), None
    while time.monotonic() - started < timeout:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        if text in response.read().decode():
            return time.monotonic() - started
        answer = f"HTTP {response.status}, X-Cache {response.getheader('X-Cache')}"
        time.sleep(0.1)
    print(f"{path} did not show {text!r} within {timeout} s; the last answer: {answer}", flush=True)
    return None


def freshness(port, article):
    """Seconds until a new comment, then an edit of the headline, show on `article`'s page through
    `port` (nginx and its micro-cache), the page being in the cache when each is made."""
    from comments.services import post_comment

    path = article.get_absolute_url()
    seconds_until_visible(port, path, article.headline)  # the page is in nginx's cache now
    text = f"Visible to others soon {secrets.token_hex(4)}"
    post_comment(article=article, body=text, name="Bench", email="bench@example.com")
    seen = {"new comment": seconds_until_visible(port, path, text)}
    article.refresh_from_db()
    article.headline = f"Edited headline {secrets.token_hex(4)}"
    article.save()
    seen["story edit"] = seconds_until_visible(port, path, article.headline)
    return seen
