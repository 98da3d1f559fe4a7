"""Is an uploaded CV a PDF an operator can open? Decided by its content (parsed with pypdf), never by its name."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader

logger = logging.getLogger(__name__)

PDF_SIGNATURE = b"%PDF-"
SIGNATURE_WINDOW = 1024  # the PDF specification lets the header start within the first kilobyte


def check_cv(upload) -> None:
    """Raise ValidationError unless `upload` is a readable, unencrypted PDF of at most CV_MAX_BYTES with a page."""
    if upload is None:
        raise ValidationError(_("Attach your CV as a PDF file."), code="required")
    if upload.size > settings.CV_MAX_BYTES:
        raise ValidationError(
            _("The CV is %(size)s; it can be at most %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(settings.CV_MAX_BYTES)},
            code="too_large",
        )
    upload.seek(0)
    if PDF_SIGNATURE not in upload.read(SIGNATURE_WINDOW):
        raise ValidationError(_("This file is not a PDF. Please export your CV as a PDF and attach that."), code="pdf")
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
    except Exception as error:  # noqa: BLE001 - whatever pypdf trips over, the file is not a PDF we can open
        logger.info("Refused a CV that pypdf cannot read: %s: %s", type(error).__name__, error)
        raise ValidationError(
            _("This file could not be read as a PDF. Please export your CV as a PDF again and attach that."),
            code="pdf",
        ) from error
    finally:
        upload.seek(0)
    if encrypted:
        raise ValidationError(_("This PDF is password-protected. Please attach a copy without a password."), code="pdf")
    if pages < 1:
        raise ValidationError(_("This PDF has no pages."), code="pdf")
