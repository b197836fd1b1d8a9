from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0003_article_comment_count'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='comments_premoderated',
            field=models.BooleanField(default=False, help_text='Hold every comment on this story until a moderator approves it.', verbose_name='pre-moderate comments'),
        ),
        migrations.AddField(
            model_name='article',
            name='comments_close_at',
            field=models.DateTimeField(blank=True, help_text='After this time readers can no longer comment. Left empty, comments close a set number of days after publication (COMMENTS_CLOSE_AFTER_DAYS).', null=True, verbose_name='comments close at'),
        ),
    ]
