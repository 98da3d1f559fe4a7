from django.conf import settings


def site(request):
    return {"DEMO_NOTICE": settings.DEMO_NOTICE, "ADMIN_2FA": settings.ADMIN_2FA}
