"""The comments' rows for the generator, each with its entry drawn as the site draws it.

Drawing an entry (comments.entries.draw: the entry template) is most of the time it takes to make
the data set, so worker processes draw while the generator stores what they drew, in order.
"""

import multiprocessing
from datetime import timedelta
from functools import cache

from benchmarks.dataset import WORDS

COMMENTS_PER_TASK = 2_000


@cache
def comment_texts():
    from core.markup import render_plain_text

    texts = [f"I think the {w} matters more than people say. Comment {n}." for n, w in enumerate(WORDS)]
    return [(text, render_plain_text(text)) for text in texts]


def draw_comments(task):
    """The rows of some stories' comments, each with its entry drawn as the site draws it.

    `task`: (story id, first comment id, how many, first one's time, running number) per story.
    """
    from benchmarks.inserts import ts
    from comments import entries
    from comments.models import Comment

    texts, version, rows = comment_texts(), entries.entry_version(), []
    for article_id, first_id, count, start, n in task:
        for k in range(count):
            pk, m, moment = first_id + k, n + k, start + timedelta(seconds=k)
            text, html = texts[m % len(texts)]
            comment = Comment(
                pk=pk,
                article_id=article_id,
                name=f"Reader {m % 997}",
                body_html=html,
                status="published",
                published_at=moment,
                created_at=moment,
            )
            entry = entries.draw(comment)
            stamp = ts(moment)
            row = (pk, article_id, comment.name, f"r{m % 997}@example.com", text, html, entry, version)
            rows.append((*row, "published", "192.0.2.10", stamp, stamp))
    return rows


def comment_tasks(layout, published):
    """The comments to draw, in id order, cut into tasks of about COMMENTS_PER_TASK."""
    task, size, next_id = [], 0, 1
    for i, count in enumerate(layout.counts):
        if count:
            task.append((i + 1, next_id, count, published[i] + timedelta(minutes=1), next_id - 1))
            next_id, size = next_id + count, size + count
        if size >= COMMENTS_PER_TASK:
            yield task
            task, size = [], 0
    if task:
        yield task


def drawn_rows(tasks, processes):
    """Every task's rows, in order, drawn by `processes` worker processes (1: this one)."""
    if processes == 1:
        for task in tasks:
            yield from draw_comments(task)
        return
    from comments.entries import draw
    from comments.models import Comment

    comment_texts()
    draw(Comment(pk=1, name="warm", status="published"))
    # Forked: the workers start with Django set up and the entry template loaded. They never use
    # the database connection they inherit.
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for rows in pool.imap(draw_comments, tasks):
            yield from rows
