"""The outbox's part of personal data: the address an email went to is kept EMAIL_RETENTION_DAYS once the email
has served (sent, failed or dropped), and erased with the person on request. Bodies are never stored: each is
rendered when it is sent."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from core.personal_data import Holder, erased_address
from outbox.models import OutgoingEmail

FINISHED = (OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED, OutgoingEmail.Status.OBSOLETE)


def _remove_recipients(rows, now) -> int:
    count = 0
    for email_id in list(rows.values_list("pk", flat=True)):
        count += OutgoingEmail.objects.filter(pk=email_id).update(
            recipient=erased_address(f"email-{email_id}"), last_error="", personal_data_removed_at=now
        )
    return count


def purge(now, dry_run: bool) -> int:
    rows = OutgoingEmail.objects.filter(
        personal_data_removed_at__isnull=True,
        status__in=FINISHED,
        created_at__lt=now - timedelta(days=settings.EMAIL_RETENTION_DAYS),
    )
    return rows.count() if dry_run else _remove_recipients(rows, now)


def _to(email: str):
    return OutgoingEmail.objects.filter(recipient__iexact=email, personal_data_removed_at__isnull=True)


def export(email: str) -> list[dict]:
    return [
        {
            "kind": row.kind,
            "status": row.status,
            "created_at": row.created_at.isoformat(),
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        }
        for row in _to(email).order_by("created_at", "pk")
    ]


def erase(email: str, now, cancel_upcoming: bool) -> int:
    """Emails still waiting to that address are dropped (their subject is being erased), every one loses it."""
    _to(email).filter(Q(status=OutgoingEmail.Status.PENDING) | Q(status=OutgoingEmail.Status.SENDING)).update(
        status=OutgoingEmail.Status.OBSOLETE
    )
    return _remove_recipients(_to(email), now)


HOLDER = Holder(name="emails", purge=purge, export=export, upcoming=lambda email, now: [], erase=erase)
