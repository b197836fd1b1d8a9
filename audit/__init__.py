"""The audit log: who did what to the desk, when and from where (models.Entry).

Apps above this floor call `audit.record(request_or_user, Entry.Action.PUBLISH, obj)`; sign-ins,
group and permission changes and story deletions are recorded here from signals.
"""


def record(who, action, obj=None, detail="", **kwargs):
    """Append one entry; see services.record. Imported lazily: this package loads before the models."""
    from .services import record as _record

    return _record(who, action, obj, detail, **kwargs)
