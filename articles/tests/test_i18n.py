import ast
import gettext
import json
import re
from datetime import UTC, date, datetime

import pytest
from django.conf import settings as django_settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Correction

from .factories import make_article, make_author, make_photo, make_section

pytestmark = pytest.mark.django_db

CATALOG = django_settings.BASE_DIR / "locale" / "ru" / "LC_MESSAGES"

# Interface strings of the reader pages; none may be left in English on a Russian site.
ENGLISH_UI = [
    "Skip to content",
    "Sections",
    "Search stories",
    "Top story",
    "Latest",
    "No stories",
    "Independent news",
    "Most commented",
    "Related stories",
    "Correction,",
    "Updated",
    "Tags",
    "Get short URL",
    "Copied to clipboard",
    "Select and copy the link",
    "Short URL",
    "latest stories",
    "Newer",
    "Older",
    "Page 1 of",
    "RSS feed",
    "Archive",
    "About us",
    "Contact",
    "Privacy",
    "stories",
]


@pytest.fixture
def russian(settings):
    settings.LANGUAGE_CODE = "ru"
    settings.TIME_ZONE = "Europe/Moscow"
    with translation.override("ru"):
        yield


@pytest.fixture
def story():
    world = make_section("Мир", slug="world")
    talks = make_article(
        "Переговоры в Женеве возобновились",
        section=world,
        dateline_place="Женева",
        lead="Делегации встретились впервые за год.",
        body="Первый абзац.\n\nВторой абзац.",
        main_photo=make_photo(
            alt_text="Делегаты за столом", caption="Встреча делегаций.", credit="© Агентство"
        ),
        authors=[make_author("Анна Ли", slug="anna-li"), make_author("Борис Камень", slug="boris-kamen")],
        tags=["Дипломатия"],
        published_at=datetime(2017, 3, 25, 15, 39, tzinfo=UTC),
    )
    make_article("Прежние переговоры", section=world, tags=["Дипломатия"])
    Correction.objects.create(article=talks, date=date(2017, 3, 26), text="Голосование пройдёт в пятницу.")
    return talks


def assert_no_english_ui(response):
    content = response.content.decode()
    left = [text for text in ENGLISH_UI if text in content]
    assert not left, f"English left on a Russian page: {left}"


def test_home_page_renders_in_russian(client, russian, story):
    response = client.get("/")

    assert response.status_code == 200
    assertContains(response, '<html lang="ru"')
    assertContains(response, "Перейти к содержимому")
    assertContains(response, "Поиск по материалам")
    assertContains(response, "Разделы")
    assertContains(response, '<meta property="og:locale" content="ru_RU">')
    # Written-out dates decline the month: "24 ноября 2026", never "24 Ноябрь 2026".
    assertContains(response, date_format(timezone.localdate(), "j E Y"))
    assert_no_english_ui(response)


def test_story_page_renders_in_russian(client, russian, story):
    response = client.get(story.get_absolute_url())

    assert response.status_code == 200
    assertContains(response, "Автор:")
    assertContains(response, "Анна Ли</a> и <a")
    assertContains(response, "Теги")
    assertContains(response, "Материалы по теме")
    assertContains(response, "Исправление, 26.03.2017:")
    assertContains(response, "Обновлено")
    assertContains(response, "Короткая ссылка")
    # The numeric dateline stays numeric in every language.
    assertContains(response, "18:39 GMT+3, 25.03.2017")
    assert_no_english_ui(response)
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', response.content.decode()).group(1))
    assert data["inLanguage"] == "ru"


def test_section_tag_and_search_pages_render_in_russian(client, russian, story):
    for url in ["/world/", f"/tag/{story.tags.get().slug}/", "/search/", "/search/?q=Женева"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_english_ui(response)


def test_search_results_count_uses_russian_plurals(client, russian, story):
    for n in range(3):
        make_article(f"Лондон {n}", section=story.section)

    response = client.get("/search/", {"q": "Лондон"})

    assertContains(response, "По запросу «Лондон» найдено 3 материала.")


def test_tag_with_a_cyrillic_name_has_pages_and_feeds(client, russian, story):
    tag = story.tags.get()

    assert tag.slug == "дипломатия"
    assert client.get(f"/tag/{tag.slug}/").status_code == 200
    assert client.get(f"/feeds/tag/{tag.slug}/rss/").status_code == 200
    assertContains(client.get(story.get_absolute_url()), "/tag/%D0%B4%D0%B8%D0%BF")


def test_archive_dates_are_written_out_in_russian(client, russian, story):
    day = client.get("/archive/2017/3/25/")
    month = client.get("/archive/2017/3/")

    assertContains(day, "25 марта 2017")
    assertContains(month, "Март 2017")
    assertNotContains(day, "March")
    year, index = client.get("/archive/2017/"), client.get("/archive/")
    assertContains(
        year, '<span class="calendar__name">Март</span> <span class="calendar__count">1 материал</span>'
    )
    assertContains(index, '<span class="calendar__count">1 материал</span>')
    assertContains(month, '<th scope="col" abbr="Понедельник">Пн</th>')
    for response in (day, month, year, index):
        assert_no_english_ui(response)


def test_feeds_and_news_sitemap_declare_russian(client, russian, story):
    rss = client.get("/feeds/rss/").content.decode()

    assert "<language>ru</language>" in rss
    assert "Свежие материалы" in rss


def test_english_stays_the_default(client, story):
    response = client.get(story.get_absolute_url())

    assertContains(response, '<html lang="en"')
    assertContains(response, "Correction, 26.03.2017:")
    assertContains(response, "Related stories")


@pytest.mark.parametrize(
    ("site", "html_lang", "text"), [("ru", "ru", "Материалы по теме"), ("en", "en", "Related stories")]
)
def test_the_site_language_is_language_code_whatever_the_browser_asks(
    client, story, settings, site, html_lang, text
):
    settings.LANGUAGE_CODE = site

    response = client.get(story.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")

    assertContains(response, f'<html lang="{html_lang}"')
    assertContains(response, text)
    # One copy of the page for every reader: nothing varies by the browser's language.
    assert "accept-language" not in response.headers.get("Vary", "").lower()
    assert "Content-Language" not in response.headers


def test_content_language_stays_the_sites_for_a_russian_browser(client, story):
    # A Russian browser still gets the English site, and the stories are declared English.
    response = client.get(story.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru")
    rss = client.get("/feeds/rss/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    news = client.get("/sitemap-news.xml", HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assertContains(response, '<meta property="og:locale" content="en_US">')
    assertContains(response, '"inLanguage": "en"')
    assert "<language>en</language>" in rss
    assert "<news:language>en</news:language>" in news


def read_po(path):
    """{msgid: msgstr, or the list of plural forms} for every entry of a .po file but the header."""
    entries = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields, key, fuzzy = {}, None, False
        for line in block.splitlines():
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
            if match:
                key = match.group(1)
                fields[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                fields[key] += ast.literal_eval(line)
        if fields.get("msgid"):
            assert not fuzzy, f"Fuzzy translation left in the catalog: {fields['msgid']!r}"
            plurals = sorted(k for k in fields if k.startswith("msgstr["))
            entries[fields["msgid"]] = [fields[k] for k in plurals] if plurals else fields["msgstr"]
    return entries


def test_russian_catalog_is_complete_and_compiled():
    entries = read_po(CATALOG / "django.po")
    with open(CATALOG / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)

    assert len(entries) > 100
    untranslated = [msgid for msgid, msgstr in entries.items() if not all(msgstr)]
    assert not untranslated, f"Untranslated: {untranslated}"
    for msgid, msgstr in entries.items():
        if isinstance(msgstr, list):
            assert catalog.ngettext(msgid, msgid, 5) == msgstr[2], f"Run compilemessages: {msgid!r}"
        else:
            assert catalog.gettext(msgid) == msgstr, f"Run compilemessages: {msgid!r}"
