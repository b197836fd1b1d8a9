import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains

from pages.models import Page

pytestmark = pytest.mark.django_db

FOOTER_PAGES = [("/about/", "About us"), ("/contact/", "Contact us"), ("/privacy/", "Privacy")]


@pytest.mark.parametrize(("url", "title"), FOOTER_PAGES)
def test_the_footers_pages_exist_and_answer(client, django_assert_num_queries, url, title):
    # The section the address could have been, the page, the navigation.
    with django_assert_num_queries(3):
        response = client.get(url)

    assert response.status_code == 200
    assertContains(response, f"<h1>{title}</h1>", html=True)
    assertContains(response, f"<title>{title} · Newsroom</title>", html=True)
    assert "public" in response["Cache-Control"]


def test_every_page_links_the_archive_and_the_editors_pages_in_its_footer(client):
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]

    for url in ["/archive/", "/about/", "/contact/", "/privacy/"]:
        assert f'<a href="{url}">' in footer


def test_a_page_is_markdown_without_scripts_and_edits_show_at_once(client):
    page = Page.objects.get(url="/contact/")
    page.content = "Write to [the desk](mailto:desk@example.com).\n\n<script>alert(1)</script>"
    page.save()

    response = client.get("/contact/")

    assertContains(response, '<a href="mailto:desk@example.com" rel="noopener">the desk</a>', html=True)
    assertNotContains(response, "<script>alert")


def test_an_editor_may_add_a_page_anywhere_nothing_else_answers(client):
    Page.objects.create(url="/jobs/", title="Jobs", content="We are hiring.")

    Page.objects.create(url="/help/faq/", title="Questions", content="Answers.")

    assertContains(client.get("/jobs/"), "We are hiring.")
    assertContains(client.get("/help/faq/"), "Answers.")  # no URL pattern matches it
    assert client.get("/nothing-here/").status_code == 404
    assert client.post("/jobs/").status_code in (404, 405)


def test_a_missing_address_looks_for_a_page_once(client, django_assert_num_queries):
    # The section it could have been, the page it could have been, the 404 page's navigation.
    with django_assert_num_queries(3):
        assert client.get("/nothing-here/").status_code == 404


@pytest.mark.parametrize("path", ["/x%00y/", "/About/", "/a.b/", "/%E2%80%AE/"])
def test_junk_addresses_are_404_without_looking_for_a_page(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 404

    assert not [query for query in queries if "pages_page" in query["sql"]]


def test_a_section_keeps_its_address(client):
    # By name: the pages app sits beside articles and imports nothing of it.
    apps.get_model("articles", "Section").objects.create(name="About", slug="about")

    response = client.get("/about/")

    assert response.status_code == 200
    assert response.context_data["section"].slug == "about"


@pytest.mark.parametrize("url", ["about", "/About/", "/a b/", "/../", "//"])
def test_a_page_address_is_checked(url):
    with pytest.raises(ValidationError):
        Page(url=url, title="T", content="x").full_clean()


def test_editors_keep_the_pages():
    editors = Group.objects.get(name="Editors")

    codenames = set(
        editors.permissions.filter(content_type__app_label="pages").values_list("codename", flat=True)
    )
    assert codenames == {"add_page", "change_page", "delete_page", "view_page"}


def test_editor_edits_a_page_in_the_admin(admin_client):
    page = Page.objects.get(url="/about/")

    response = admin_client.post(
        f"/admin/pages/page/{page.pk}/change/",
        {"url": "/about/", "title": "Who we are", "content": "A small newsroom."},
    )

    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.title, page.content_html) == ("Who we are", "<p>A small newsroom.</p>")
