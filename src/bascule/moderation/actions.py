"""Every write of moderation: reports, hiding and restoring, and the audit log.

Each action takes the acting person as ``actor``, checks permissions through
``bascule.access``, runs in one transaction and appends its ModerationLog row in that
transaction: the log cannot miss an act, nor record one that was rolled back. A refused
permission raises ``PermissionDenied``, bad input ``ValidationError``, each with a
sentence for the person; nothing is written then.

Moderation is not adoption activity (DESIGN.md's fixed vocabulary has no kind for it):
nothing goes to the ledger; the audit log is its record. Reports tell nobody by
notification: the queue, and its count in the navigation, is where moderators look.
Hiding removes the item from the search index; restoring indexes it again.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bascule import access
from bascule.core.versions import version_bump
from bascule.network.actions import answered_refresh
from bascule.network.models import Comment, Post
from bascule.notify.actions import unread_counts_forget
from bascule.people.models import Person
from bascule.search.index import index_remove, index_update

from .models import (
    REPORT_NOTE_MAX_LENGTH,
    HiddenContent,
    ModerationAct,
    ModerationLog,
    Report,
    ReportReason,
    ReportStatus,
    TargetType,
)

# Bumped after every act, so that cached navigation counts are recomputed (queries.py).
COUNTS_VERSION_KEY = "moderation:counts-version"


def _counts_changed() -> None:
    transaction.on_commit(lambda: version_bump(COUNTS_VERSION_KEY))


def _log(*, actor: Person, act: str, post: Post, comment: Comment | None, reason: str = "", note: str = "") -> ModerationLog:
    return ModerationLog.objects.create(
        actor=actor,
        act=act,
        target_type=TargetType.COMMENT if comment is not None else TargetType.POST,
        target_id=comment.pk if comment is not None else post.pk,
        post_id=post.pk,
        space_id=post.space_id,
        reason=reason,
        note=note,
    )


def _reports_of(post: Post, comment: Comment | None):
    if comment is not None:
        return Report.objects.filter(comment=comment)
    return Report.objects.filter(post=post, comment__isnull=True)


def _hidden_row(post: Post, comment: Comment | None):
    if comment is not None:
        return HiddenContent.objects.filter(comment=comment)
    return HiddenContent.objects.filter(post=post, comment__isnull=True)


def _check_moderator(actor: Person, post: Post) -> None:
    if not access.may_moderate(actor, post.space):
        raise PermissionDenied(_("Only the managers of this space and the platform moderators may moderate it."))


@transaction.atomic
def report_create(*, actor: Person, post: Post, comment: Comment | None = None, reason: str, note: str = "") -> Report:
    """``actor`` reports ``post``, or its ``comment``, with a reason and maybe a note.

    A person reports only what they may read, not their own writing, and once per item
    while their report is open."""
    if comment is not None and comment.post_id != post.pk:
        raise ValidationError(_("This comment does not belong to this post."))
    if comment is not None and not access.visible_comments(actor).filter(pk=comment.pk).exists():
        raise PermissionDenied(_("You may only report what you can read."))
    if not access.may_read_post(actor, post):
        raise PermissionDenied(_("You may only report what you can read."))
    if not access.may_report(actor, post, comment):
        raise PermissionDenied(_("You cannot report what you wrote yourself: edit or delete it instead."))
    errors = {}
    if reason not in ReportReason.values:
        errors["reason"] = _("Choose why you report this.")
    note = (note or "").strip()
    if len(note) > REPORT_NOTE_MAX_LENGTH:
        errors["note"] = _("Keep the note under %(limit)s characters.") % {"limit": REPORT_NOTE_MAX_LENGTH}
    if errors:
        raise ValidationError(errors)
    already = _("You already reported this. The moderators have not looked at your report yet.")
    if _reports_of(post, comment).filter(reporter=actor, status=ReportStatus.OPEN).exists():
        raise ValidationError(already)
    try:
        with transaction.atomic():
            report = Report.objects.create(reporter=actor, post=post, comment=comment, reason=reason, note=note)
    except IntegrityError:  # the same report sent twice at once
        raise ValidationError(already) from None
    _log(actor=actor, act=ModerationAct.REPORT, post=post, comment=comment, reason=reason, note=note)
    _counts_changed()
    return report


def _close_reports(*, actor: Person, post: Post, comment: Comment | None, status: str) -> int:
    return (
        _reports_of(post, comment)
        .filter(status=ReportStatus.OPEN)
        .update(status=status, resolved_by=actor, resolved_at=timezone.now())
    )


@transaction.atomic
def content_hide(*, actor: Person, post: Post, comment: Comment | None = None, reason: str, note: str = "") -> HiddenContent:
    """A moderator hides ``post``, or its ``comment``: it disappears from every surface
    (pages, feeds, search, notifications) for everyone but its author and the space's
    managers. Its open reports are handled by this act."""
    _check_moderator(actor, post)
    if reason not in ReportReason.values:
        raise ValidationError({"reason": _("Choose why you hide this.")})
    if _hidden_row(post, comment).exists():
        raise ValidationError(_("This is already hidden."))
    hidden = HiddenContent.objects.create(post=post, comment=comment, hidden_by=actor, reason=reason)
    _close_reports(actor=actor, post=post, comment=comment, status=ReportStatus.RESOLVED)
    _log(actor=actor, act=ModerationAct.HIDE, post=post, comment=comment, reason=reason, note=(note or "").strip()[:REPORT_NOTE_MAX_LENGTH])
    index_remove(comment if comment is not None else post)
    if comment is not None and comment.parent_id is None:
        answered_refresh([post.pk])
    _counts_changed()
    unread_counts_forget()  # notifications about it count again, or no longer
    return hidden


@transaction.atomic
def content_restore(*, actor: Person, post: Post, comment: Comment | None = None, note: str = "") -> None:
    """A moderator shows hidden ``post``, or its ``comment``, again, and indexes it again."""
    _check_moderator(actor, post)
    deleted, _rows = _hidden_row(post, comment).delete()
    if not deleted:
        raise ValidationError(_("This is not hidden."))
    _log(actor=actor, act=ModerationAct.RESTORE, post=post, comment=comment, note=(note or "").strip()[:REPORT_NOTE_MAX_LENGTH])
    index_update(comment if comment is not None else post)
    if comment is not None and comment.parent_id is None:
        answered_refresh([post.pk])
    _counts_changed()
    unread_counts_forget()  # notifications about it count again, or no longer


@transaction.atomic
def report_dismiss(*, actor: Person, post: Post, comment: Comment | None = None, note: str = "") -> int:
    """A moderator decides the open reports about ``post`` (or its ``comment``) ask for
    nothing: they are closed as dismissed, the content stays. Returns how many."""
    _check_moderator(actor, post)
    closed = _close_reports(actor=actor, post=post, comment=comment, status=ReportStatus.DISMISSED)
    if not closed:
        raise ValidationError(_("There is no open report about this."))
    _log(actor=actor, act=ModerationAct.DISMISS, post=post, comment=comment, note=(note or "").strip()[:REPORT_NOTE_MAX_LENGTH])
    _counts_changed()
    return closed


@transaction.atomic
def report_resolve(*, actor: Person, post: Post, comment: Comment | None = None, note: str = "") -> int:
    """A moderator handled the open reports about ``post`` (or its ``comment``) another
    way — the author edited it, a word in private — and closes them. Returns how many."""
    _check_moderator(actor, post)
    closed = _close_reports(actor=actor, post=post, comment=comment, status=ReportStatus.RESOLVED)
    if not closed:
        raise ValidationError(_("There is no open report about this."))
    _log(actor=actor, act=ModerationAct.RESOLVE, post=post, comment=comment, note=(note or "").strip()[:REPORT_NOTE_MAX_LENGTH])
    _counts_changed()
    return closed
