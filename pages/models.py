from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.markup import render_markdown

# What a page's address may be: lower-case words between slashes. Anything else is never looked up.
URL_PATTERN = r"^/[-a-z0-9]+(/[-a-z0-9]+)*/$"


class Page(models.Model):
    url = models.CharField(
        _("URL"),
        max_length=100,
        unique=True,
        validators=[
            RegexValidator(
                URL_PATTERN,
                _("Lower-case letters, digits and hyphens between slashes, e.g. /about/."),
            )
        ],
        help_text=_(
            "Where the page is, with a slash at both ends, e.g. /about/. A section with the same "
            "address takes precedence."
        ),
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(
        _("content"),
        help_text=_("Markdown: blank line between paragraphs, ## for a subhead, [link text](https://…)."),
    )
    content_html = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["url"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return f"{self.url} – {self.title}"

    def save(self, *args, **kwargs):
        self.content_html = render_markdown(self.content)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.url
