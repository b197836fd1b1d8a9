"""Background tasks of the comments app (django.tasks; the backend is settings.TASKS): emails are
sent by the worker (`manage.py db_worker`), never inside the request that caused them."""

from django.tasks import task

from . import notifications


@task
def send_reply_notifications(reply_id):
    """Email reply `reply_id` to its thread's subscribers; returns how many emails went."""
    return notifications.send_notifications(reply_id)


@task
def send_reply_confirmation(subscription_id):
    """Email a guest the link that confirms their address for reply notifications."""
    return notifications.send_confirmation(subscription_id)
