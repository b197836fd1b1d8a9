import time

from django import forms
from django.conf import settings
from django.core import signing
from django.forms.renderers import Jinja2
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.markup import INVISIBLE_NAME, is_blank, normalize_text

TOKEN_SALT = "comments.form"  # noqa: S105 - a signing salt, not a password


def make_token(article_id, issued_at=None):
    """When the form was handed out, signed: it cannot be forged or moved to another story."""
    issued_at = int(time.time() if issued_at is None else issued_at)
    return signing.dumps({"a": article_id, "t": issued_at}, salt=TOKEN_SALT)


def clean_body(body):
    """A comment's text as it is stored, or ValidationError: for new comments and edits alike."""
    body = normalize_text(body)
    if is_blank(body):
        raise forms.ValidationError(_("Write a comment before posting."), code="required")
    limit = settings.COMMENTS_MAX_LENGTH
    if len(body) > limit:
        raise forms.ValidationError(
            ngettext(
                "Comments can be at most %(limit)d character long; this one has %(length)d.",
                "Comments can be at most %(limit)d characters long; this one has %(length)d.",
                limit,
            )
            % {"limit": limit, "length": len(body)},
            code="max_length",
        )
    return body


def body_field():
    return forms.CharField(
        label=_("Comment"),
        strip=False,
        error_messages={"required": _("Write a comment before posting.")},
        # No maxlength: a browser would cut a long paste without a word. The page counts as one
        # types (static/js/comment-form.js) and the server refuses a long text, keeping it.
        widget=forms.Textarea(attrs={"rows": 5, "data-max-length": settings.COMMENTS_MAX_LENGTH}),
    )


class CommentEditForm(forms.Form):
    """Its author's change to a comment's text (views.edit)."""

    default_renderer = Jinja2()
    body = body_field()

    def clean_body(self):
        return clean_body(self.cleaned_data["body"])


class CommentForm(forms.Form):
    # Drawn under every story: Django's Jinja2 widget templates draw it several times faster.
    default_renderer = Jinja2()
    name = forms.CharField(
        label=_("Name"),
        max_length=settings.COMMENTS_NAME_MAX_LENGTH,
        error_messages={"required": _("Enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,  # Comment.email's column: longer would be a database error, not a message
        help_text=_("Never shown publicly."),
        error_messages={"required": _("Enter your email address. It is never shown.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body = body_field()
    # A field people never see: bots that fill every input give themselves away.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput)
    # A reply: the comment answered. Checked when the comment is posted (services.answerable).
    parent = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _(
                "This reply could not be matched to a comment. Press Comment to post it on its own."
            ),
            "min_value": _(
                "This reply could not be matched to a comment. Press Comment to post it on its own."
            ),
        },
    )

    # Off unless ticked: reply notifications (comments/notifications.py).
    notify_replies = forms.BooleanField(label=_("Email me when someone replies"), required=False)

    def __init__(self, *args, article, user=None, **kwargs):
        self.article = article
        self.user = user if user is not None and user.is_authenticated else None
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("token", make_token(article.pk))
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["id"] = f"id_comment_body_{article.pk}"
        if self.user is not None:
            del self.fields["name"]
            del self.fields["email"]

    def refresh_token(self):
        """Hand a new timestamp to a form that is shown again, keeping everything typed."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data[self.add_prefix("token")] = make_token(self.article.pk)

    def drop_parent(self):
        """A reply that cannot go where it was meant: sent again, it is a comment of its own."""
        self.data = self.data.copy()
        self.data[self.add_prefix("parent")] = ""

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter your name."), code="required")
        if is_blank(name):  # zero-width spaces, fillers or a lone direction mark look like no name at all
            raise forms.ValidationError(INVISIBLE_NAME, code="invisible")
        return name

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_body(self):
        return clean_body(self.cleaned_data["body"])

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(
                _("Your comment looks automated. Leave the last field empty and press Comment again."),
                code="honeypot",
            )
        return ""

    def clean_token(self):
        try:
            data = signing.loads(self.cleaned_data["token"], salt=TOKEN_SALT)
            article_id, issued_at = int(data["a"]), int(data["t"])
        except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
            raise forms.ValidationError(
                _("This form could not be checked. Press Comment again to post."), code="bad_token"
            ) from exc
        if article_id != self.article.pk:
            raise forms.ValidationError(
                _("This form belongs to another story. Press Comment again to post here."),
                code="bad_token",
            )
        age = time.time() - issued_at
        if age < settings.COMMENTS_MIN_SECONDS:
            raise forms.ValidationError(
                _("That was faster than anyone can type. Wait a few seconds and press Comment again."),
                code="too_fast",
            )
        if age > settings.COMMENTS_MAX_AGE_SECONDS:
            raise forms.ValidationError(
                ngettext(
                    "This form was open for more than %(hours)d hour. Press Comment again to post.",
                    "This form was open for more than %(hours)d hours. Press Comment again to post.",
                    max(1, settings.COMMENTS_MAX_AGE_SECONDS // 3600),
                )
                % {"hours": max(1, settings.COMMENTS_MAX_AGE_SECONDS // 3600)},
                code="too_old",
            )
        return self.cleaned_data["token"]
