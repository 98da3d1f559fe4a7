"""The emails about residency applications, in the applicant's language (or Chinese, for the village's notice).
The outbox sends them (register_writers, from the app's ready())."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import formats, translation
from django.utils.translation import gettext as _

from core.countries import country_name
from outbox import messages
from outbox.messages import one_line, render_parts
from outbox.models import OutgoingEmail
from residency.models import ResidencyApplication

Kind = OutgoingEmail.Kind

# The applicant's emails share one template; each kind has its own heading and paragraph in it.
TO_APPLICANT = (
    Kind.APPLICATION_SUBMITTED,
    Kind.APPLICATION_UNDER_REVIEW,
    Kind.APPLICATION_ACCEPTED,
    Kind.APPLICATION_WAITLISTED,
    Kind.APPLICATION_REJECTED,
    Kind.APPLICATION_WITHDRAWN,
)


def register_writers() -> None:
    messages.register((*TO_APPLICANT, Kind.OPERATOR_NEW_APPLICATION), build=build_message)


def build_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    application = ResidencyApplication.objects.select_related("program__village").get(pk=email.application_id)
    kind = Kind(email.kind)
    with translation.override(email.language):
        context = _application_context(application, kind)
        subject = _application_subject(kind, context)
        text, html = render_parts(
            "application_status" if kind in TO_APPLICANT else kind, {**context, "subject": subject}
        )
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        # The village answers the applicant straight from its notice.
        reply_to=[application.email] if kind == Kind.OPERATOR_NEW_APPLICATION else None,
    )
    message.attach_alternative(html, "text/html")
    return message


def _application_context(application: ResidencyApplication, kind: str) -> dict:
    program = application.program
    return {
        "kind": kind,
        "application": application,
        "program": program,
        "village": program.village,
        "cohort": f"{formats.date_format(program.starts_on)} – {formats.date_format(program.ends_on)}",
        "arrival": formats.date_format(application.arrival_date),
        "nationality": country_name(application.nationality),
        "status_url": settings.SITE_URL + application.get_absolute_url(),
    }


def _application_subject(kind: str, context: dict) -> str:
    values = {
        "program": context["program"].name,
        "village": context["village"].name,
        "reference": context["application"].reference,
        "name": context["application"].name,
    }
    subjects = {
        Kind.APPLICATION_SUBMITTED: _("Application received: %(program)s (%(reference)s)"),
        Kind.APPLICATION_UNDER_REVIEW: _("Your application is being reviewed: %(program)s (%(reference)s)"),
        Kind.APPLICATION_ACCEPTED: _("Welcome to %(village)s: your application is accepted (%(reference)s)"),
        Kind.APPLICATION_WAITLISTED: _("You are on the waiting list: %(program)s (%(reference)s)"),
        Kind.APPLICATION_REJECTED: _("About your application to %(program)s (%(reference)s)"),
        Kind.APPLICATION_WITHDRAWN: _("Application withdrawn: %(program)s (%(reference)s)"),
        Kind.OPERATOR_NEW_APPLICATION: _("New residency application %(reference)s: %(name)s, %(program)s"),
    }
    return one_line(subjects[kind] % values)
