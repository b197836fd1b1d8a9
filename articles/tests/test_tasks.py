"""Renditions are made by a worker off the request: the database backend and `manage.py db_worker`,
for real (the other tests run tasks at once, with the immediate backend; see conftest.py)."""

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from articles.models import Photo

from .factories import jpeg_upload, make_article, make_photo
from .test_admin import form_post_data, photo_fields
from .test_renditions import original_img
from .test_uploads import editor  # noqa: F401 (a fixture)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue(settings):
    settings.TASKS = DATABASE_TASKS


def run_worker():
    # As deployed, until the queue is empty: `manage.py db_worker --batch`.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_saved_photo_shows_its_original_until_the_worker_has_made_the_renditions(client, queue):
    photo = make_photo(image=jpeg_upload(width=700, height=400))
    story = make_article(main_photo=photo)

    assert photo.renditions == {"source": photo.image.name, "focal": [0.5, 0.5]}
    assert photo.renditions_pending()
    assert original_img(photo) in client.get(story.get_absolute_url()).content.decode()
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY

    run_worker()

    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    photo.refresh_from_db()
    assert photo.renditions_ready() and not photo.renditions_pending()
    assert [item["width"] for item in photo.renditions["jpeg"]] == [320, 480, 640]
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<picture>" in html and original_img(photo) not in html


@pytest.mark.django_db(transaction=True)
def test_a_task_for_a_picture_replaced_meanwhile_makes_nothing(queue):
    photo = make_photo(image=jpeg_upload(width=700, height=400))
    first = photo.image.name
    photo.image = jpeg_upload(width=400, height=400)
    photo.save()

    run_worker()

    assert list(DBTaskResult.objects.order_by("enqueued_at").values_list("args_kwargs", flat=True)) == [
        {"args": [photo.pk, first, [0.5, 0.5]], "kwargs": {}},
        {"args": [photo.pk, photo.image.name, [0.5, 0.5]], "kwargs": {}},
    ]
    assert list(DBTaskResult.objects.order_by("enqueued_at").values_list("return_value", flat=True)) == [
        False,
        True,
    ]
    photo.refresh_from_db()
    assert photo.renditions["source"] == photo.image.name
    assert [(item["width"], item["height"]) for item in photo.renditions["jpeg"]] == [(320, 320)]


@pytest.mark.django_db
def test_the_editor_is_told_renditions_are_being_made(client, editor, queue):  # noqa: F811
    url = "/admin/articles/photo/add/"
    data = form_post_data(client, url, **photo_fields(jpeg_upload(width=700, height=400)))

    response = client.post(url, data, follow=True)

    message = "Renditions are being made; the original is shown until they are ready."
    assert message in [str(m) for m in response.context["messages"]]
    photo = Photo.objects.get()
    assert photo.renditions_pending()
    change = client.get(f"/admin/articles/photo/{photo.pk}/change/").content.decode()
    assert message in change

    # Editing the caption meanwhile enqueues nothing more.
    change_url = f"/admin/articles/photo/{photo.pk}/change/"
    client.post(change_url, form_post_data(client, change_url, **photo_fields("", caption="New")))
    assert DBTaskResult.objects.count() == 1
