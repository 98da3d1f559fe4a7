"""Where applicants' CVs live: a folder outside MEDIA_ROOT with no URL. Only a view that checks who asks serves them."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="residency.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    def __init__(self):
        # Readable by the server's user only: a CV is nobody else's business on the machine either.
        super().__init__(base_url=None, file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no public URL; they are served by a view that checks permissions.")


private_storage = PrivateStorage()


def new_cv_name(program_id) -> str:
    """A random name per file: never the applicant's file name, never guessable from the reference."""
    return f"cv/{program_id}/{uuid.uuid4().hex}.pdf"


def cv_path(application, filename: str) -> str:
    return new_cv_name(application.program_id)
