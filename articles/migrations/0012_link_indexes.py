from django.db import migrations

# Indexes on link tables that are not ours to give Meta.indexes (hence SQL; the same on SQLite and
# PostgreSQL), so that a tag's or an author's stories are found from the index alone, not from
# the link table row by row:
# - django-taggit's tag links, for related stories (Article.objects.related_to) and tag pages;
# - the byline links (Article.authors' table, made by Django), for author pages, whose stories
#   were otherwise found by reading every newer story's row.
CREATE = [
    "CREATE INDEX IF NOT EXISTS article_tag_links_idx "
    "ON taggit_taggeditem (tag_id, content_type_id, object_id)",
    "CREATE INDEX IF NOT EXISTS article_byline_links_idx ON articles_article_authors (author_id, article_id)",
]
DROP = [
    "DROP INDEX IF EXISTS article_tag_links_idx",
    "DROP INDEX IF EXISTS article_byline_links_idx",
]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_most_commented_index"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP, elidable=False)]
