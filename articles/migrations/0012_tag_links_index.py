from django.db import migrations

# Related stories rank the stories sharing a story's tags by counting tag links (Article.objects
# .related_to): with this index the links of a tag are read from the index alone, not from
# django-taggit's table row by row. taggit's model is not ours to give Meta.indexes, hence SQL;
# the same on SQLite and PostgreSQL.
CREATE = (
    "CREATE INDEX IF NOT EXISTS article_tag_links_idx "
    "ON taggit_taggeditem (tag_id, content_type_id, object_id)"
)
DROP = "DROP INDEX IF EXISTS article_tag_links_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_most_commented_index"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP, elidable=False)]
