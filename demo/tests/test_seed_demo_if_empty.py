import io

import pytest
from django.core.management import call_command

from articles.models import Article, Author, Photo, Section

pytestmark = pytest.mark.django_db


def test_seed_demo_if_empty_leaves_an_existing_site_alone():
    section = Section.objects.create(name="Local", slug="local")
    Article.objects.create(headline="Our own story", section=section, lead="Lead.", body="Body.")

    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    output = out.getvalue()

    counts = {model.__name__: model.objects.count() for model in (Section, Author, Photo, Article)}
    assert counts == {"Section": 1, "Author": 0, "Photo": 0, "Article": 1}
    assert "not added" in output
