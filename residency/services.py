"""Every write about residency applications. The web form, the API and the admin all come here; each is atomic.

apply_for_residency (check every rule, store the CV privately, insert, emails to the applicant and the village) ->
start_review / decide_application by an operator (lock the programme row, count the accepted places, email) or
withdraw_application by the applicant. Each transition emails the applicant once, through the outbox.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.codes import insert_with_fresh_codes, new_token, readable_code
from core.contact import normalised_email
from core.countries import is_country
from core.fields import max_length
from core.locking import lock_row
from outbox.models import OutgoingEmail
from outbox.services import queue_email
from residency.cv import check_cv
from residency.errors import InvalidApplication, InvalidDecision, ProgramBusy, ProgramFull
from residency.models import MAX_STAY_MONTHS, MIN_PROPOSAL_CHARS, ResidencyApplication, ResidencyProgram
from residency.storage import new_cv_name, private_storage
from villages.months import add_months

Kind = OutgoingEmail.Kind

DECISION_EMAILS = {
    ResidencyApplication.Status.ACCEPTED: Kind.APPLICATION_ACCEPTED,
    ResidencyApplication.Status.WAITLISTED: Kind.APPLICATION_WAITLISTED,
    ResidencyApplication.Status.REJECTED: Kind.APPLICATION_REJECTED,
}


def open_program(slug: str) -> ResidencyProgram | None:
    """The published programme with this slug, whatever its window; None if there is none."""
    return ResidencyProgram.objects.published().select_related("village").filter(slug=slug or "").first()


def _text(raw: dict, field: str, errors: dict, *, required_message) -> str:
    value = (raw.get(field) or "").strip()
    most = max_length(ResidencyApplication, field)
    if not value:
        errors[field] = [required_message]
    elif len(value) > most:
        errors[field] = [_("At most %(max)s characters, please.") % {"max": most}]
    return value


def _validated_application(program: ResidencyProgram | None, raw: dict, *, now) -> dict:
    """Every rule an application must meet, with a message per field; raises InvalidApplication listing them all."""
    errors = {}
    if program is None:
        errors["program"] = [_("There is no such residency programme.")]
    elif not program.applications_open(now):
        errors["program"] = [_("This programme is not taking applications now.")]
    cleaned = {
        "name": _text(raw, "name", errors, required_message=_("Please give your name.")),
        "profession": _text(raw, "profession", errors, required_message=_("What is your profession?")),
        "skills": _text(raw, "skills", errors, required_message=_("Tell the village which skills you bring.")),
    }
    try:
        cleaned["email"] = normalised_email(raw.get("email"))
        if len(cleaned["email"]) > max_length(ResidencyApplication, "email"):
            raise ValidationError("too long")
    except ValidationError:
        errors["email"] = [_("Enter a valid email address.")]
    nationality = (raw.get("nationality") or "").strip().upper()
    if not is_country(nationality):
        errors["nationality"] = [_("Choose your country of nationality.")]
    cleaned["nationality"] = nationality
    portfolio_url = (raw.get("portfolio_url") or "").strip()
    if portfolio_url:
        try:
            URLValidator(schemes=["http", "https"])(portfolio_url)
            if len(portfolio_url) > max_length(ResidencyApplication, "portfolio_url"):
                raise ValidationError("too long")
        except ValidationError:
            errors["portfolio_url"] = [_("Enter a full web address starting with https://, or leave it empty.")]
    cleaned["portfolio_url"] = portfolio_url
    proposal = (raw.get("proposal") or "").strip()
    if len(proposal) < MIN_PROPOSAL_CHARS:
        errors["proposal"] = [
            _("Tell the village a little more: at least %(min)s characters (you wrote %(count)s).")
            % {"min": MIN_PROPOSAL_CHARS, "count": len(proposal)}
        ]
    elif len(proposal) > max_length(ResidencyApplication, "proposal"):
        errors["proposal"] = [
            _("At most %(max)s characters, please.") % {"max": max_length(ResidencyApplication, "proposal")}
        ]
    cleaned["proposal"] = proposal
    try:
        check_cv(raw.get("cv"))
    except ValidationError as error:
        errors["cv"] = error.messages
    if raw.get("consent") is not True:
        errors["consent"] = [_("We can only consider your application with your consent to process these details.")]
    language = raw.get("language")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose zh-hans or en.")]
    cleaned["language"] = language
    _check_stay(program, raw.get("arrival_date"), raw.get("stay_months"), errors, today=timezone.localdate(now))
    cleaned["arrival_date"], cleaned["stay_months"] = raw.get("arrival_date"), raw.get("stay_months")
    if program is not None and "email" not in errors and _has_applied(program, cleaned["email"]):
        errors["email"] = [_already_applied_message()]
    if errors:
        raise InvalidApplication(fields=errors)
    return cleaned


def _check_stay(program, arrival_date, stay_months, errors: dict, *, today: date) -> None:
    """The stay lies inside the cohort and ahead: arrival on or after its start (and not before today),
    departure on or before its end."""
    if not isinstance(arrival_date, date):
        errors["arrival_date"] = [_("When would you arrive? Enter a date.")]
    if not isinstance(stay_months, int) or not 1 <= stay_months <= MAX_STAY_MONTHS:
        errors["stay_months"] = [_("Stay between 1 and %(max)s months.") % {"max": MAX_STAY_MONTHS}]
    if program is None or "arrival_date" in errors:
        return
    cohort = {"start": date_format(program.starts_on), "end": date_format(program.ends_on)}
    if arrival_date < today:
        errors["arrival_date"] = [_("The arrival date has passed: choose a day from today on.")]
    elif not program.starts_on <= arrival_date < program.ends_on:
        errors["arrival_date"] = [_("The cohort runs from %(start)s to %(end)s: arrive within those dates.") % cohort]
    elif "stay_months" not in errors and add_months(arrival_date, stay_months) > program.ends_on:
        errors["stay_months"] = [
            ngettext(
                "A stay of %(months)s month from %(arrival)s would end after the cohort ends on %(end)s.",
                "A stay of %(months)s months from %(arrival)s would end after the cohort ends on %(end)s.",
                stay_months,
            )
            % {"months": stay_months, "arrival": date_format(arrival_date), "end": cohort["end"]}
        ]


def _has_applied(program: ResidencyProgram, email: str) -> bool:
    return ResidencyApplication.objects.filter(program=program, email__iexact=email).exists()


def _already_applied_message():
    return _(
        "This email address has already applied to this programme. "
        "The status link is in the email we sent when you applied."
    )


def apply_for_residency(*, program: str, now=None, **fields) -> ResidencyApplication:
    """Take an application to the programme with slug `program`. Refuses with InvalidApplication, writing nothing.

    `fields`: name, email, nationality, profession, skills, portfolio_url, cv (an uploaded file), arrival_date,
    stay_months, proposal, consent (True), language. The applicant and the village are emailed by the worker.
    """
    now = now or timezone.now()
    found = open_program(program)
    cleaned = _validated_application(found, fields, now=now)
    stored_cv = private_storage.save(new_cv_name(found.pk), fields["cv"])
    try:
        with transaction.atomic():
            application = _insert_application(
                program=found,
                cv=stored_cv,
                consent_given_at=now,
                privacy_version=settings.PRIVACY_VERSION,  # the notice the applicant consented under
                **cleaned,
            )
            queue_email(application, Kind.APPLICATION_SUBMITTED, now=now)
            if found.village.contact_email:
                queue_email(
                    application,
                    Kind.OPERATOR_NEW_APPLICATION,
                    recipient=found.village.contact_email,
                    language=settings.LANGUAGE_CODE,
                    now=now,
                )
    except BaseException:
        private_storage.delete(stored_cv)  # nothing was written, so the file goes too
        raise
    return application


def _insert_application(**fields) -> ResidencyApplication:
    """Insert with a fresh reference; a concurrent twin (the same email) is refused as one that came first."""

    def refuse_a_twin():
        if _has_applied(fields["program"], fields["email"]):
            raise InvalidApplication(fields={"email": [_already_applied_message()]}) from None

    return insert_with_fresh_codes(
        lambda: ResidencyApplication.objects.create(reference=f"RA-{readable_code(7)}", token=new_token(), **fields),
        on_conflict=refuse_a_twin,
    )


def _lock_application(application_id) -> tuple[ResidencyProgram, ResidencyApplication]:
    """Programme row first, then the application: every decision on a programme queues behind the others."""
    program_id = ResidencyApplication.objects.filter(pk=application_id).values_list("program_id", flat=True).first()
    if program_id is None:
        raise ResidencyApplication.DoesNotExist()
    program = lock_row(ResidencyProgram.objects.select_related("village"), program_id, ProgramBusy)
    application = ResidencyApplication.objects.select_for_update(of=("self",)).get(pk=application_id)
    return program, application


def start_review(application_id, *, now=None) -> ResidencyApplication:
    """An operator starts reading a submitted application; the applicant learns it is being reviewed."""
    now = now or timezone.now()
    with transaction.atomic():
        _program, application = _lock_application(application_id)
        if application.status == ResidencyApplication.Status.UNDER_REVIEW:
            return application
        if application.status != ResidencyApplication.Status.SUBMITTED:
            raise InvalidDecision(_("Only a submitted application can be put under review."))
        application.status = ResidencyApplication.Status.UNDER_REVIEW
        application.reviewed_at = now
        application.save(update_fields=["status", "reviewed_at"])
        queue_email(application, Kind.APPLICATION_UNDER_REVIEW, now=now)
    return application


def decide_application(application_id, decision: str, *, message: str = "", now=None) -> ResidencyApplication:
    """Accept, waitlist or reject, with an optional message to the applicant. Accepting takes one of the places:
    under the programme's row lock and a conditional update, so no two decisions can give the last place twice.
    Deciding the same way again changes nothing and sends nothing.
    """
    now = now or timezone.now()
    if decision not in DECISION_EMAILS:
        raise InvalidDecision()
    message = (message or "").strip()
    most = max_length(ResidencyApplication, "decision_message")
    if len(message) > most:
        raise InvalidDecision(fields={"message": [_("At most %(max)s characters, please.") % {"max": most}]})
    with transaction.atomic():
        program, application = _lock_application(application_id)
        if application.status == decision:
            return application
        if application.status not in ResidencyApplication.DECIDABLE:
            raise InvalidDecision(
                _("This application is already %(status)s.") % {"status": application.get_status_display().lower()}
            )
        if decision == ResidencyApplication.Status.ACCEPTED:
            taken = ResidencyProgram.objects.filter(pk=program.pk, places_accepted__lt=F("places")).update(
                places_accepted=F("places_accepted") + 1
            )
            if not taken:
                raise ProgramFull()
        application.status = decision
        application.decided_at = now
        application.decision_message = message
        application.reviewed_at = application.reviewed_at or now
        application.save(update_fields=["status", "decided_at", "decision_message", "reviewed_at"])
        queue_email(application, DECISION_EMAILS[decision], now=now)
    return application


def withdraw_application(application_id, *, now=None) -> ResidencyApplication:
    """The applicant takes their application back; an accepted applicant's place goes back to the programme."""
    now = now or timezone.now()
    with transaction.atomic():
        program, application = _lock_application(application_id)
        if application.status == ResidencyApplication.Status.WITHDRAWN:
            return application
        if not application.can_withdraw:
            raise InvalidDecision(_("This application has been decided; it can no longer be withdrawn."))
        if application.status == ResidencyApplication.Status.ACCEPTED:
            ResidencyProgram.objects.filter(pk=program.pk).update(places_accepted=F("places_accepted") - 1)
        application.status = ResidencyApplication.Status.WITHDRAWN
        application.withdrawn_at = now
        application.save(update_fields=["status", "withdrawn_at"])
        queue_email(application, Kind.APPLICATION_WITHDRAWN, now=now)
    return application
