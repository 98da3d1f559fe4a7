"""The visitor's booking pages: thin over bookings.services, which holds every rule and every write.

The manage page and the calendar file are opened by the token in the link the visitor was given; without
the right token they are a plain 404 that says nothing about whether the booking exists.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from bookings import services
from bookings.emails import booking_calendar
from bookings.errors import BookingError, IdempotencyKeyReused
from bookings.forms import BookingForm
from bookings.models import Booking
from core.ratelimits import BOOKINGS, LOOKUPS, rate_limited
from core.secret_links import held_with_token, private, private_page_views, see_other
from core.views import form_again, form_target
from villages.models import Experience
from villages.views import experience_detail


def _booking_form(request, experience) -> BookingForm:
    return BookingForm(request.POST, experience=experience, language=request.LANGUAGE_CODE)


def _page_again(request, form, experience, *, status):
    return experience_detail(request, experience.slug, booking_form=form, status=status)


@rate_limited(BOOKINGS, refused=form_again(_booking_form, _page_again))
def _book(request, experience):
    form = _booking_form(request, experience)
    if not form.is_valid():
        return _page_again(request, form, experience, status=400)
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
        else:
            form.add_booking_error(error)
        response = _page_again(request, form, experience, status=error.http_status)
        if error.retry_after_seconds:
            response["Retry-After"] = str(error.retry_after_seconds)
        return response
    # A repeated submission (double click, resubmit) gets the booking the first one made.
    return private(see_other(booking.get_absolute_url()))


create = form_target(lambda slug: get_object_or_404(Experience.objects.published(), slug=slug), _book)


def _booking_for(reference: str, token: str) -> Booking:
    return held_with_token(
        Booking.objects.select_related("session__experience__village", "session__experience__venue"), reference, token
    )


def _manage_page(request, booking: Booking, *, refused: BookingError | None = None, status=200):
    context = {
        "booking": booking,
        "session": booking.session,
        "experience": booking.session.experience,
        "village": booking.session.experience.village,
        "can_cancel": services.visitor_can_cancel(booking),
        "cancellation_deadline": booking.cancellation_deadline,
        "refused": refused,
    }
    return private(render(request, "bookings/manage.html", context, status=status))


manage, cancel = private_page_views(
    find=_booking_for,
    page=_manage_page,
    act=lambda booking: services.cancel_booking(booking.pk, by=Booking.CancelledBy.VISITOR),
)


@require_GET
@rate_limited(LOOKUPS)
def calendar(request, reference):
    booking = _booking_for(reference, request.GET.get("token", ""))
    response = HttpResponse(booking_calendar(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{booking.reference}.ics"'
    return private(response)
