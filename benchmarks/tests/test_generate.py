"""The generator on a tiny data set: every comment stored with a current entry, so reading a thread
writes nothing, and the data set's record tells an old or other data set from this one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from benchmarks import dataset, generate
from comments import entries
from comments.models import Comment

pytestmark = pytest.mark.django_db

SIZES = dataset.Sizes(stories=30, comments=600, rotation=4, big_thread=60, tags=20, authors=5)


@pytest.fixture
def layout():
    layout = dataset.Layout.of(SIZES)
    generate.generate(SIZES, layout, processes=1)
    return layout


def test_the_layout_spreads_the_rotation_and_counts_every_comment():
    layout = dataset.Layout.of(SIZES)

    assert layout.rotation == [1, 9, 18, 27]
    assert (layout.big, layout.poster, layout.fresh) == (28, 29, 30)
    assert sum(layout.counts) == SIZES.comments
    assert {layout.counts[pk - 1] for pk in layout.rotation} == {50}
    assert layout.counts[layout.big - 1] == 60


def test_too_few_comments_for_the_rotation_set_is_refused():
    with pytest.raises(ValueError, match="too few"):
        dataset.Sizes(stories=30, comments=200, rotation=4, big_thread=60)


def test_every_comment_is_stored_with_a_current_entry(layout):
    assert Comment.objects.published().count() == SIZES.comments
    assert set(Comment.objects.values_list("entry_version", flat=True)) == {entries.entry_version()}
    comment = Comment.objects.get(pk=100)
    assert comment.entry_html == entries.draw(comment)
    counts = dict(Article.objects.values_list("pk", "comment_count"))
    assert [counts[pk + 1] for pk in range(SIZES.stories)] == layout.counts


def test_a_rotation_story_shows_fifty_comments_and_reading_it_writes_nothing(client, layout):
    story = Article.objects.get(pk=layout.rotation[1])

    with CaptureQueriesContext(connection) as captured:
        page = client.get(story.get_absolute_url())

    assert page.status_code == 200
    assert page.content.count(b"data-comment-id=") == 50
    assert not [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]


def test_the_record_tells_this_data_set_from_another(layout):
    assert dataset.mismatch(None, SIZES) == "it was made by an older generator, or its making was interrupted"
    meta = dataset.write_meta(SIZES, layout, 1.0, [["stories", 0.5]])

    assert dataset.read_meta() == meta
    assert dataset.mismatch(meta, SIZES) is None
    other = dataset.Sizes(**{**meta["sizes"], "stories": 31})
    assert dataset.mismatch(meta, other) == "it was made with other sizes: stories 30, not 31"
    assert "entry template" in dataset.mismatch({**meta, "entry_version": "older"}, SIZES)
    assert "version 1" in dataset.mismatch({**meta, "version": 1}, SIZES)
