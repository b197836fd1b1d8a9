"""When readers may comment on a story, and when their comments wait for a moderator.

The comments app's rules, kept here although their settings are the story's own columns (editors
set them in the story form): as django-contrib-comments' CommentModerator does, the rules name the
content model's fields and read them, so `articles` knows nothing of comments.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone


class CommentModerator:
    enable_field = "allow_comments"  # off: no comments at all on this story
    close_field = "comments_close_at"  # an editor's own closing time
    auto_close_field = "published_at"  # else COMMENTS_CLOSE_AFTER_DAYS after this
    premoderate_field = "comments_premoderated"  # every comment waits for a moderator

    def close_time(self, article):
        """When readers stop being able to comment; None: never."""
        if close := getattr(article, self.close_field):
            return close
        start, days = getattr(article, self.auto_close_field), settings.COMMENTS_CLOSE_AFTER_DAYS
        if days and start:
            return start + timedelta(days=days)
        return None

    def allow(self, article):
        """Whether readers may comment on `article` now."""
        if not getattr(article, self.enable_field) or not article.is_published:
            return False
        close = self.close_time(article)
        return close is None or timezone.now() < close

    def premoderated(self, article):
        """Whether every comment on `article` waits for a moderator."""
        return getattr(article, self.premoderate_field) or settings.COMMENTS_PREMODERATION


moderator = CommentModerator()
