"""Residency's part of personal data: an application's personal details and its CV are kept
APPLICATION_RETENTION_DAYS after it was decided or withdrawn (after the cohort's end for those accepted or
waitlisted), then replaced by a marker and the CV file deleted; its status, dates and stay stay for the village's
figures. On request they are erased at once; an application still open is withdrawn first, and the applicant told,
only when the request says so."""

import os
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.personal_data import ERASED, Holder, erased_address
from outbox.models import OutgoingEmail
from outbox.services import send_outgoing_email
from residency.models import ResidencyApplication
from residency.services import withdraw_application
from residency.storage import private_storage

Status = ResidencyApplication.Status
STILL_OPEN = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.WAITLISTED, Status.ACCEPTED)


def _anonymise(applications, now) -> int:
    count = 0
    for application in applications:
        cv = application.cv.name
        ResidencyApplication.objects.filter(pk=application.pk).update(
            name=ERASED,
            email=erased_address(application.reference),
            nationality="",
            profession=ERASED,
            skills="",
            portfolio_url="",
            proposal="",
            decision_message="",
            cv="",
            personal_data_removed_at=now,
        )
        if cv:
            # Only once the rows are gone for good: a rolled-back purge keeps its files.
            transaction.on_commit(lambda cv=cv: private_storage.delete(cv))
        count += 1
    return count


def purge(now, dry_run: bool) -> int:
    kept_until = now - timedelta(days=settings.APPLICATION_RETENTION_DAYS)
    cohort_ended_before = timezone.localdate(kept_until)
    served = ResidencyApplication.objects.filter(personal_data_removed_at__isnull=True).filter(
        Q(status=Status.REJECTED, decided_at__lt=kept_until)
        | Q(status=Status.WITHDRAWN, withdrawn_at__lt=kept_until)
        | Q(status__in=[Status.ACCEPTED, Status.WAITLISTED], program__ends_on__lt=cohort_ended_before)
    )
    return served.count() if dry_run else _anonymise(list(served), now)


def _of(email: str):
    return ResidencyApplication.objects.filter(email__iexact=email, personal_data_removed_at__isnull=True)


def _still_open(email: str, now):
    return _of(email).filter(status__in=STILL_OPEN, program__ends_on__gte=timezone.localdate(now))


def export(email: str) -> list[dict]:
    applications = _of(email).select_related("program__village").order_by("created_at", "pk")
    return [
        {
            "reference": application.reference,
            "status": application.status,
            "programme": application.program.name,
            "village": application.program.village.name,
            "name": application.name,
            "email": application.email,
            "nationality": application.nationality,
            "profession": application.profession,
            "skills": application.skills,
            "portfolio_url": application.portfolio_url,
            "cv_file_name": os.path.basename(application.cv.name) if application.cv else None,
            "arrival_date": application.arrival_date.isoformat(),
            "stay_months": application.stay_months,
            "proposal": application.proposal,
            "decision_message": application.decision_message,
            "language": application.language,
            "submitted_at": application.created_at.isoformat(),
            "consent_given_at": application.consent_given_at.isoformat(),
            "privacy_notice_version": application.privacy_version,
        }
        for application in applications
    ]


def upcoming(email: str, now) -> list[str]:
    return [f"application {application.reference} ({application.status})" for application in _still_open(email, now)]


def erase(email: str, now, cancel_upcoming: bool) -> int:
    if cancel_upcoming:
        for application in _still_open(email, now):
            withdraw_application(application.pk, now=now)
            notice = application.emails.filter(kind=OutgoingEmail.Kind.APPLICATION_WITHDRAWN).first()
            if notice is not None:
                send_outgoing_email(notice.pk, now=now)
    with transaction.atomic():
        return _anonymise(list(_of(email)), now)


HOLDER = Holder(name="applications", purge=purge, export=export, upcoming=upcoming, erase=erase)
