"""Two-factor sign-in for staff (django-otp, time-based codes from an authenticator app). ADMIN_2FA:

- "off": passwords only;
- "optional" (the default): whoever enrolled a device must give its code; the others may enrol from the admin;
- "required": every staff account must enrol before it sees any admin page.
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


def enrolled_devices(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True)


def must_give_a_code(user) -> bool:
    return settings.ADMIN_2FA != "off" and enrolled_devices(user).exists()


def must_enrol(request) -> bool:
    user = request.user
    return (
        settings.ADMIN_2FA == "required"
        and user.is_active
        and user.is_staff
        and not request.user.is_verified()
        and not enrolled_devices(user).exists()
    )


class SignInForm(AdminAuthenticationForm):
    """The admin's sign-in: the password, and the authenticator's code for an account that enrolled one."""

    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Only if you have set up two-factor sign-in."),
    )

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not must_give_a_code(user):
            return
        token = (self.cleaned_data.get("otp_token") or "").strip()
        device = next((device for device in enrolled_devices(user) if token and device.verify_token(token)), None)
        if device is None:
            raise forms.ValidationError(
                gettext("Enter the current code from your authenticator app."), code="otp_token_required"
            )
        user.otp_device = device  # django-otp marks the session verified when the sign-in completes


class EnrolForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _qr_svg_data_url(text: str) -> str:
    buffer = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required(login_url="admin:login")
def enrol(request):
    """Scan the code (or type the key) into an authenticator app, then confirm with the code it shows."""
    if not request.user.is_staff or settings.ADMIN_2FA == "off":
        raise PermissionDenied
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
        user=request.user, name="authenticator", confirmed=False
    )
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, gettext("Two-factor sign-in is on: you will be asked for a code each time."))
            return redirect("admin:index")
        form.add_error("otp_token", gettext("That code is not the current one. Try the next code."))
    context = {
        **admin.site.each_context(request),
        "title": _("Two-factor sign-in"),
        "form": form,
        "qr_code": _qr_svg_data_url(device.config_url),
        "key": base64.b32encode(device.bin_key).decode(),
        "enrolled": enrolled_devices(request.user).exists(),
    }
    return TemplateResponse(request, "admin/two_factor.html", context)
