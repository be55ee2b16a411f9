"""Background work of the network. Thin: load, call the action."""

from django.tasks import task

from . import actions


@task
def questions_overdue_check() -> None:
    """Tell managers (then referents) about questions waiting too long for an answer."""
    actions.questions_overdue_notify()


@task
def announcements_publish_due() -> None:
    """Index the scheduled announcements that came out and tell the people they mention."""
    actions.announcements_publish()
