"""The beat's daily purge of personal data kept past its retention."""

from celery import shared_task

from core import personal_data


@shared_task(ignore_result=True)
def purge_personal_data() -> dict:
    return personal_data.purge()
