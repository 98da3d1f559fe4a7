"""The visitor's booking pages: thin over bookings.services, which holds every rule and every write.

The manage page (cancel, move), the waiting-list page (claim, leave) and the calendar file are opened by the token
in the link the visitor was given; without the right token they are a plain 404 that says nothing about whether
the booking or entry exists.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from bookings import selectors, services
from bookings.emails import booking_calendar
from bookings.errors import BookingError, IdempotencyKeyReused
from bookings.forms import BookingForm
from bookings.models import Booking, WaitlistEntry
from core.ratelimits import BOOKINGS, LOOKUPS, rate_limited
from core.secret_links import held_with_token, private, private_action, private_page_views, see_other
from core.views import form_again, form_target
from villages.models import Experience
from villages.views import experience_detail


def _booking_form(request, experience) -> BookingForm:
    return BookingForm(request.POST, experience=experience, language=request.LANGUAGE_CODE)


def _page_again(request, form, experience, *, status):
    return experience_detail(request, experience.slug, booking_form=form, status=status)


def _refused(request, form, experience, error: BookingError):
    form.add_booking_error(error)
    response = _page_again(request, form, experience, status=error.http_status)
    if error.retry_after_seconds:
        response["Retry-After"] = str(error.retry_after_seconds)
    return response


@rate_limited(BOOKINGS, refused=form_again(_booking_form, _page_again))
def _book(request, experience):
    """The form's two buttons: book the chosen session, or join its waiting list when it is too full."""
    form = _booking_form(request, experience)
    if not form.is_valid():
        return _page_again(request, form, experience, status=400)
    if request.POST.get("action") == "waitlist":
        try:
            entry = services.join_waitlist(**form.waitlist_arguments())
        except BookingError as error:
            return _refused(request, form, experience, error)
        return private(see_other(entry.get_absolute_url()))
    try:
        booking, _created = services.create_booking(**form.service_arguments())
    except BookingError as error:
        if isinstance(error, IdempotencyKeyReused):
            # The visitor went back to a form already used for a booking and changed it: a new submission.
            form.renew_submission_key()
            form.add_error(
                None,
                gettext(
                    "This form was already used for a booking. "
                    "Check the details and send it again to make another booking."
                ),
            )
            return _page_again(request, form, experience, status=error.http_status)
        return _refused(request, form, experience, error)
    # A repeated submission (double click, resubmit) gets the booking the first one made.
    return private(see_other(booking.get_absolute_url()))


create = form_target(lambda slug: get_object_or_404(Experience.objects.published(), slug=slug), _book)


def _booking_for(reference: str, token: str) -> Booking:
    return held_with_token(
        Booking.objects.select_related("session__experience__village", "session__experience__venue"), reference, token
    )


def _refusal_messages(refused: BookingError | None) -> list[str]:
    if refused is None:
        return []
    if refused.fields:
        return [str(message) for messages in refused.fields.values() for message in messages]
    return [str(refused.message)]


def _chosen_session(raw) -> int | None:
    """A session id from the query or form; anything else (digits such as "²" included) names no session."""
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) < 19:
        return int(raw)
    return None


def _manage_page(request, booking: Booking, *, refused: BookingError | None = None, status=200):
    can_move = services.can_move(booking)
    chosen = _chosen_session(request.POST.get("session") or request.GET.get("move"))
    move_choices = selectors.sessions_to_move_to(booking, limit=MOVE_CHOICES) if can_move else []
    context = {
        "booking": booking,
        "session": booking.session,
        "experience": booking.session.experience,
        "village": booking.session.experience.village,
        "can_cancel": services.visitor_can_cancel(booking),
        "cancellation_deadline": booking.cancellation_deadline,
        "can_move": can_move,
        "move_choices": move_choices,
        "chosen_move": next((session for session in move_choices if session.pk == chosen), None),
        "asked_for_a_full_session": chosen is not None and chosen not in {session.pk for session in move_choices},
        "keeps_it_cancelled": request.GET.get("keep") == "cancelled" and booking.rebookable,
        "refused": refused,
        "refusal_messages": _refusal_messages(refused),
    }
    return private(render(request, "bookings/manage.html", context, status=status))


MOVE_CHOICES = 12  # the experience's next sessions with room offered on the manage page

manage, cancel = private_page_views(
    find=_booking_for,
    page=_manage_page,
    act=lambda booking, _data: services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR),
)
move = private_action(
    find=_booking_for,
    page=_manage_page,
    act=lambda booking, data: services.move_booking(booking.pk, to_session_id=data.get("session")),
)


def _entry_for(reference: str, token: str) -> WaitlistEntry:
    return held_with_token(
        WaitlistEntry.objects.select_related("session__experience__village", "booking"), reference, token
    )


def _waitlist_page(request, entry: WaitlistEntry, *, refused: BookingError | None = None, status=200):
    session = entry.session
    context = {
        "entry": entry,
        "session": session,
        "experience": session.experience,
        "village": session.experience.village,
        "position": selectors.waitlist_position(entry),
        "total_price": services.price_for(session, entry.adults, entry.children),
        "offer_open": entry.status == WaitlistEntry.Status.OFFERED and entry.offer_expires_at > timezone.now(),
        "refused": refused,
        "refusal_messages": _refusal_messages(refused),
    }
    return private(render(request, "bookings/waitlist.html", context, status=status))


waitlist, claim = private_page_views(
    find=_entry_for, page=_waitlist_page, act=lambda entry, _data: services.claim_offer(entry.pk)
)
leave = private_action(find=_entry_for, page=_waitlist_page, act=lambda entry, _data: services.leave_waitlist(entry.pk))


@require_GET
@rate_limited(LOOKUPS)
def calendar(request, reference):
    booking = _booking_for(reference, request.GET.get("token", ""))
    response = HttpResponse(booking_calendar(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{booking.reference}.ics"'
    return private(response)
