"""Thin Celery tasks of bookings: each takes ids (or nothing), calls a service, and is safe to run twice."""

from celery import shared_task

from bookings import services


@shared_task(acks_late=True, ignore_result=True)
def confirm_booking(booking_id: int) -> None:
    services.confirm_booking(booking_id)


@shared_task(ignore_result=True)
def confirm_stragglers() -> int:
    return services.confirm_stragglers()


@shared_task(ignore_result=True)
def queue_reminders() -> int:
    return services.queue_reminders()


@shared_task(acks_late=True, ignore_result=True)
def offer_freed_seats(session_id: int) -> None:
    services.offer_freed_seats(session_id)


@shared_task(ignore_result=True)
def sweep_waitlists() -> dict:
    return services.sweep_waitlists()
