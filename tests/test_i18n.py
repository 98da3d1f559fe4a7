from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_interface_string_has_a_chinese_translation():
    with CATALOGUE.open("rb") as po_file:
        catalog = read_po(po_file, locale="zh_Hans")
    untranslated = [
        message.id
        for message in catalog
        if message.id and (not message.string or not all(message.string if message.pluralizable else [message.string]))
    ]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_what_django_uses():
    with translation.override("zh-hans"):
        assert translation.gettext("Villages") == "村庄"
    with translation.override("en"):
        assert translation.gettext("Villages") == "Villages"


@pytest.mark.django_db
def test_the_api_speaks_the_language_the_client_asks_for(client):
    response = client.get("/api/v1/villages/?district=atlantis", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert any("\u4e00" <= character <= "\u9fff" for character in str(response.json()["district"]))
