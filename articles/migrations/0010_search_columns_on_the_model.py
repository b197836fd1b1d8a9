# The search columns, declared on the model now (articles/search/postgres.py) instead of only in
# 0009's SQL: on PostgreSQL 0009's columns make way for the declared ones (the same names, the
# same weighted documents); on SQLite the new columns are NULL, and adding them rebuilds
# articles_article, which drops its triggers: the FTS5 index's are made again after (0008).
from importlib import import_module

import articles.search.fts5
import articles.search.postgres
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


fts5 = import_module("articles.migrations.0008_article_search_fts5")
documents = import_module("articles.migrations.0009_article_search_document")


def drop_raw_search_columns(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(documents.DROP)  # drops their indexes too


def restore_raw_search_columns(apps, schema_editor):
    documents.store_search_documents(apps, schema_editor)


def make_fts5_triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        fts5.make_triggers(schema_editor)  # for the index's columns then (0018 added one)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0009_article_search_document'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_raw_search_columns, restore_raw_search_columns, elidable=False),
        migrations.CreateModel(
            name='ArticleIndexEntry',
            fields=[
                ('article', models.OneToOneField(db_column='rowid', db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='+', related_query_name='index_entry', serialize=False, to='articles.article')),
                ('document', articles.search.fts5.Document(db_column='articles_article_fts')),
            ],
            options={
                'db_table': 'articles_article_fts',
                'managed': False,
            },
        ),
        migrations.AddField(
            model_name='article',
            name='search_en',
            field=models.GeneratedField(db_persist=True, expression=articles.search.postgres.SearchDocument('english'), output_field=articles.search.postgres.SearchVectorField()),
        ),
        migrations.AddField(
            model_name='article',
            name='search_ru',
            field=models.GeneratedField(db_persist=True, expression=articles.search.postgres.SearchDocument('russian'), output_field=articles.search.postgres.SearchVectorField()),
        ),
        migrations.AddIndex(
            model_name='article',
            index=articles.search.postgres.SearchIndex(fields=['search_en'], name='article_search_en_idx'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=articles.search.postgres.SearchIndex(fields=['search_ru'], name='article_search_ru_idx'),
        ),
        migrations.RunPython(make_fts5_triggers_again, migrations.RunPython.noop, elidable=False),
    ]
