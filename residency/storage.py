"""Where applicants' CVs live: STORAGES["private"], a folder outside MEDIA_ROOT (PrivateFileSystemStorage) or a
private bucket (MEDIA_STORAGE=s3, config/storage.py). Either way a CV has no URL: only a view that checks who asks
serves it (the admin's CV download)."""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

NO_URL = "Private files have no public URL; they are served by a view that checks permissions."


class PrivateFileSystemStorage(FileSystemStorage):
    """STORAGES["private"] on one machine: a folder under PRIVATE_ROOT, read when first used."""

    def __init__(self, **options):
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
        raise ValueError(NO_URL)


@deconstructible(path="residency.storage.PrivateStorage")
class PrivateStorage(Storage):
    """The CV field's storage: hands every operation to STORAGES["private"], as configured when it is used, and
    refuses to make a URL. (The migrations name this class, so it stays the field's storage whatever the backend.)"""

    @property
    def backend(self) -> Storage:
        return storages["private"]

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def size(self, name):
        return self.backend.size(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def path(self, name):
        return self.backend.path(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)

    def url(self, name):
        raise ValueError(NO_URL)


private_storage = PrivateStorage()


def new_cv_name(program_id) -> str:
    """A random name per file: never the applicant's file name, never guessable from the reference."""
    return f"cv/{program_id}/{uuid.uuid4().hex}.pdf"


def cv_path(application, filename: str) -> str:
    return new_cv_name(application.program_id)
