"""Versions of a story: what each save kept, what changed between two, a save refused because
someone else saved first, and an old version brought back.

django-simple-history writes a version (a HistoricalArticle row) on every save; keep_relations()
adds the authors and tags, which it does not keep itself. Article.version counts the saves: a
form carries the number it was opened at, and a save from an older number is a conflict.
"""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.diff import word_diff
from core.people import staff_name

from .models import Article, Author, Photo, Section

# The fields a version keeps and a conflict or a restore looks at, in the form's order.
FIELDS = [
    "headline", "slug", "section", "dateline_place", "lead", "body", "main_photo", "authors",
    "tags", "allow_comments", "comments_premoderated", "comments_close_at", "status",
    "published_at", "unpublish_at",
]  # fmt: skip
TEXT_FIELDS = {"headline", "slug", "dateline_place", "lead", "body"}
RELATED = {"section": Section, "main_photo": Photo}
# Times: forms carry whole seconds.
MOMENTS = {"comments_close_at", "published_at", "unpublish_at"}


def keep_relations(sender, instance, history_instance, **kwargs):
    """Put the story's authors and tags into the version being written.

    The admin saves them after the story row: it hands them over first
    (Article.relations_for_next_version), so the version holds what the editor saved.
    """
    authors, tags = getattr(instance, "_version_relations", None) or (
        list(instance.authors.all()),
        list(instance.tags.names()),
    )
    history_instance.authors_kept = [{"id": author.pk, "name": author.name} for author in authors]
    history_instance.tags_kept = sorted(tags, key=str.lower)


def _text(value):
    return (value or "").replace("\r\n", "\n").strip()


def _moment(value):
    # Forms carry whole seconds; stored times may have microseconds.
    return value.replace(microsecond=0) if value else None


def _snapshot(value, author_ids, tag_names):
    """{field: comparable value}; `value(name)` gives a field's value, the id for a relation."""
    snapshot = {name: value(name) for name in FIELDS if name not in ("authors", "tags")}
    for name in TEXT_FIELDS:
        snapshot[name] = _text(snapshot[name])
    for name in MOMENTS:
        snapshot[name] = _moment(snapshot[name])
    snapshot["authors"] = tuple(sorted(author_ids))
    snapshot["tags"] = tuple(sorted(name.lower() for name in tag_names))
    return snapshot


def snapshot_of_record(record):
    """{field: comparable value} of a version."""
    return _snapshot(
        lambda name: getattr(record, f"{name}_id" if name in RELATED else name),
        [item["id"] for item in record.authors_kept],
        record.tags_kept,
    )


def snapshot_of_form(cleaned_data, instance):
    """{field: comparable value} of what a form is about to save; fields it lacks keep `instance`'s."""

    def value(name):
        if name not in cleaned_data:
            return getattr(instance, f"{name}_id" if name in RELATED else name)
        return getattr(cleaned_data[name], "pk", None) if name in RELATED else cleaned_data[name]

    authors = cleaned_data["authors"] if "authors" in cleaned_data else instance.authors.all()
    tags = cleaned_data["tags"] if "tags" in cleaned_data else instance.tags.names()
    return _snapshot(value, [author.pk for author in authors], tags)


def label(name):
    return Article._meta.get_field(name).verbose_name


def describe(name, value, record=None):
    """A comparable value as a reader of the history understands it."""
    if value is None or value == "" or value == ():
        return "—"
    if name in RELATED:
        found = RELATED[name].objects.filter(pk=value).first()
        if found is None:
            return _("(deleted, was #%(id)s)") % {"id": value}
        return f"{found} (#{found.pk})" if name == "main_photo" else str(found)
    if name == "authors":
        kept = {item["id"]: item["name"] for item in (record.authors_kept if record else ())}
        names = dict(Author.objects.filter(pk__in=value).values_list("pk", "name"))
        return ", ".join(names.get(pk) or kept.get(pk) or _("(deleted author)") for pk in value)
    if name == "tags":
        kept = record.tags_kept if record else value
        return ", ".join(tag for tag in kept if tag.lower() in value) or ", ".join(value)
    if name == "status":
        return str(Article.Status(value).label)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if hasattr(value, "tzinfo"):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return str(value)


@dataclass
class Change:
    name: str
    label: str
    old: str
    new: str
    diff: str  # HTML: the words removed and added, for texts; empty for other fields

    @classmethod
    def between(cls, name, old, new, old_record=None, new_record=None):
        old_text, new_text = describe(name, old, old_record), describe(name, new, new_record)
        diff = word_diff(old, new) if name in TEXT_FIELDS else ""
        return cls(name, label(name), old_text, new_text, diff)


def changes(old, new, old_record=None, new_record=None):
    """[Change] of each field that differs between two snapshots."""
    return [
        Change.between(name, old[name], new[name], old_record, new_record)
        for name in FIELDS
        if old[name] != new[name]
    ]


def record_changes(record, previous):
    """What `record` (a version) changed from `previous` (the one before it, or None)."""
    if previous is None:
        return []
    return changes(snapshot_of_record(previous), snapshot_of_record(record), previous, record)


def editor_name(user):
    if user is None:
        return _("someone (no account)")
    return staff_name(user)


@dataclass
class Conflict:
    """A save from version `base` of a story that is now at `current`'s version."""

    base_version: int
    current: object  # the newest version (HistoricalArticle)
    savers: list  # the versions saved since `base`, oldest first
    theirs: list = field(default_factory=list)  # [Change] base → current, each field they changed
    taken: list = field(default_factory=list)  # names of fields only they changed: theirs is taken
    both: list = field(default_factory=list)  # [Change] yours → theirs, fields you both changed

    @property
    def message(self):
        """One line for the form's errors; the panel above the form explains the rest."""
        last = self.savers[-1] if self.savers else self.current
        return _("Not saved: %(name)s saved this story at %(time)s, after you opened it.") % {
            "name": editor_name(last.history_user),
            "time": date_format(timezone.localtime(last.history_date), "DATETIME_FORMAT"),
        }

    @property
    def explanation(self):
        last = self.savers[-1] if self.savers else self.current
        return _(
            "%(name)s saved this story at %(time)s, after you opened it (you started from version "
            "%(base)s; it is now at version %(current)s). Nothing has been saved yet and nothing you "
            "typed is lost: check the merged form below and save again."
        ) % {
            "name": editor_name(last.history_user),
            "time": date_format(timezone.localtime(last.history_date), "DATETIME_FORMAT"),
            "base": self.base_version,
            "current": self.current.version,
        }

    @property
    def taken_labels(self):
        return [label(name) for name in self.taken]


def find_conflict(article_pk, base_version, mine):
    """A Conflict when the story was saved since `base_version`, or None.

    `mine` is the snapshot of what is about to be saved. Inside the admin's transaction the row is
    locked, so a save that starts later waits for this one and then sees its version.
    """
    rows = Article.objects.filter(pk=article_pk)
    if connection.features.has_select_for_update and transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    stored = rows.values_list("version", flat=True).first()
    if stored is None or base_version is None or base_version == stored:
        return None
    versions = list(Article.history.filter(id=article_pk).select_related("history_user").order_by("version"))
    current = next((v for v in reversed(versions) if v.version == stored), versions[-1] if versions else None)
    if current is None:
        return None
    base = next((v for v in versions if v.version == base_version), None)
    savers = [v for v in versions if base_version < v.version <= stored]
    theirs = snapshot_of_record(current)
    conflict = Conflict(base_version, current, savers)
    if base is not None:
        before = snapshot_of_record(base)
        conflict.theirs = changes(before, theirs, base, current)
        for change in conflict.theirs:
            if mine[change.name] == before[change.name]:
                conflict.taken.append(change.name)
            elif mine[change.name] != theirs[change.name]:
                conflict.both.append(Change.between(change.name, mine[change.name], theirs[change.name]))
    else:
        # The version the form came from is not kept (a story older than its history): every
        # field where the form and the stored story differ is left to the editor.
        conflict.both = changes(mine, theirs, None, current)
    return conflict


class RestoreError(Exception):
    pass


RESTORE_REFUSED = gettext_lazy("This version cannot be restored: %(what)s. Nothing was changed.")


@transaction.atomic
def restore(record, user):
    """Make version `record` the story's current text, as a new version. Returns the story.

    Refused whole (RestoreError) when something the version needs is gone: nothing is half-restored.
    """
    article = Article.objects.select_for_update().get(pk=record.id)
    missing = []
    if not Section.objects.filter(pk=record.section_id).exists():
        missing.append(_("its section was deleted"))
    if record.main_photo_id and not Photo.objects.filter(pk=record.main_photo_id).exists():
        missing.append(_("its photo was deleted"))
    author_ids = [item["id"] for item in record.authors_kept]
    authors = list(Author.objects.filter(pk__in=author_ids))
    gone = [item["name"] for item in record.authors_kept if item["id"] not in {a.pk for a in authors}]
    if gone:
        missing.append(_("its author %(names)s was deleted") % {"names": ", ".join(gone)})
    if missing:
        raise RestoreError(RESTORE_REFUSED % {"what": "; ".join(missing)})
    for name in FIELDS:
        if name in RELATED:
            setattr(article, f"{name}_id", getattr(record, f"{name}_id"))
        elif name not in ("authors", "tags", "slug"):
            setattr(article, name, getattr(record, name))
    # A slug another story has taken since stays that story's: this one keeps its own.
    if not Article.objects.filter(slug=record.slug).exclude(pk=article.pk).exists():
        article.slug = record.slug
    article.relations_for_next_version(authors, record.tags_kept)
    article._history_user = user
    article._change_reason = _("Restored version %(version)s") % {"version": record.version}
    article.save()
    article.authors.set(authors)
    article.tags.set(record.tags_kept)
    return article
