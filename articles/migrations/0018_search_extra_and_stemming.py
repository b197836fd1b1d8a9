# Search finds dateline places, photo captions and author names (Article.search_extra, kept by
# articles/search/extra.py), and on SQLite words by their stem ("reservoir" finds "reservoirs").
#
# PostgreSQL: the stored documents get search_extra at weight D. A generated column's expression
# cannot be altered: the columns (and their GIN indexes) are made again.
# SQLite: the FTS5 index is made again with the porter tokenizer and a search_extra column, after
# the table rebuilds that these field changes cause (which drop its triggers anyway).
from importlib import import_module

import articles.search.postgres
from django.db import migrations, models
from django.db.models.functions import Cast, Coalesce, Concat

fts5 = import_module("articles.migrations.0008_article_search_fts5")

COLUMNS = ["headline", "lead", "body", "search_extra"]
# Porter stems English words after unicode61 has split them (case and accents folded as before).
# It has no Russian: there words are matched whole.
CREATE_TABLE = """
CREATE VIRTUAL TABLE articles_article_fts USING fts5(
    headline, lead, body, search_extra,
    content='articles_article', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
)
"""
WEIGHTS = (("headline", "A"), ("lead", "B"), ("body", "C"), ("search_extra", "D"))


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in fts5.DROP:
            schema_editor.execute(statement)


def make_old_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in [fts5.CREATE_TABLE, *fts5.CREATE_TRIGGERS, fts5.REBUILD]:
            schema_editor.execute(statement)


def fill_search_extra(apps, schema_editor):
    # As articles/search/extra.py does, with the models as they are in this migration.
    Article, Photo = apps.get_model("articles", "Article"), apps.get_model("articles", "Photo")
    caption = Photo.objects.filter(pk=models.OuterRef("main_photo_id")).values("caption")[:1]
    names = (
        Article.authors.through.objects.filter(article=models.OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(names=models.StringAgg("author__name", models.Value(" ")))
        .values("names")
    )
    text = Concat(
        Cast("dateline_place", models.TextField()),
        models.Value(" ", output_field=models.TextField()),
        Coalesce(models.Subquery(caption), models.Value(""), output_field=models.TextField()),
        models.Value(" ", output_field=models.TextField()),
        Coalesce(models.Subquery(names), models.Value(""), output_field=models.TextField()),
        output_field=models.TextField(),
    )
    Article.objects.update(search_extra=text)


def make_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE_TABLE)
        for statement in fts5.triggers_for(COLUMNS):
            schema_editor.execute(statement)
        schema_editor.execute(fts5.REBUILD)


def document(config, weights):
    return models.GeneratedField(
        db_persist=True,
        expression=articles.search.postgres.SearchDocument(config, weights=weights),
        output_field=articles.search.postgres.SearchVectorField(),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0017_story_views'),
    ]

    operations = [
        migrations.RunPython(drop_index, make_old_index, elidable=False),
        migrations.RemoveIndex(model_name='article', name='article_search_en_idx'),
        migrations.RemoveIndex(model_name='article', name='article_search_ru_idx'),
        migrations.RemoveField(model_name='article', name='search_en'),
        migrations.RemoveField(model_name='article', name='search_ru'),
        migrations.AddField(
            model_name='article',
            name='search_extra',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.RunPython(fill_search_extra, migrations.RunPython.noop, elidable=False),
        migrations.AddField(model_name='article', name='search_en', field=document('english', WEIGHTS)),
        migrations.AddField(model_name='article', name='search_ru', field=document('russian', WEIGHTS)),
        migrations.AddIndex(
            model_name='article',
            index=articles.search.postgres.SearchIndex(fields=['search_en'], name='article_search_en_idx'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=articles.search.postgres.SearchIndex(fields=['search_ru'], name='article_search_ru_idx'),
        ),
        migrations.RunPython(make_index, drop_index, elidable=False),
    ]
