import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    ExperienceFactory,
    ExperienceImageFactory,
    VillageFactory,
    VillageImageFactory,
    make_operator,
    uploaded_image,
)
from villages.images import thumbnail_name
from villages.models import Experience, Village

pytestmark = pytest.mark.django_db


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


@pytest.fixture
def village():
    return VillageFactory()


@pytest.fixture
def operator(client, django_user_model, village):
    client.force_login(make_operator("op", village))
    return client


def run_action(client, model_name, action, pks):
    return client.post(
        en(f"admin:villages_{model_name}_changelist"),
        {"action": action, "_selected_action": [str(pk) for pk in pks], "index": "0"},
        follow=True,
    )


def test_an_operator_unpublishes_and_publishes_their_own_experiences(operator, village):
    mine = ExperienceFactory.create_batch(2, village=village, is_published=True)
    response = run_action(operator, "experience", "unpublish", [e.pk for e in mine])
    assert response.status_code == 200
    assert not Experience.objects.filter(pk__in=[e.pk for e in mine], is_published=True).exists()
    assert "2 experiences unpublished." in [str(m) for m in response.context["messages"]]
    response = run_action(operator, "experience", "publish", [mine[0].pk])
    assert Experience.objects.get(pk=mine[0].pk).is_published
    assert not Experience.objects.get(pk=mine[1].pk).is_published
    assert "1 experience published." in [str(m) for m in response.context["messages"]]


def test_actions_never_touch_another_villages_rows_even_when_their_pk_is_posted(operator, village):
    mine = ExperienceFactory(village=village, is_published=True)
    theirs = ExperienceFactory(is_published=True)
    hidden = ExperienceFactory(is_published=False)
    run_action(operator, "experience", "unpublish", [mine.pk, theirs.pk])
    run_action(operator, "experience", "publish", [hidden.pk])
    mine.refresh_from_db()
    theirs.refresh_from_db()
    hidden.refresh_from_db()
    assert not mine.is_published
    assert theirs.is_published
    assert not hidden.is_published
    assert not LogEntry.objects.filter(object_id__in=[str(theirs.pk), str(hidden.pk)]).exists()

    other_village = VillageFactory(is_published=True)
    run_action(operator, "village", "unpublish", [village.pk, other_village.pk])
    village.refresh_from_db()
    other_village.refresh_from_db()
    assert not village.is_published
    assert other_village.is_published


def test_a_superuser_publishes_any_village(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "a-long-password-123"))
    villages = [VillageFactory(is_published=False), VillageFactory(is_published=False)]
    run_action(client, "village", "publish", [v.pk for v in villages])
    assert Village.objects.filter(pk__in=[v.pk for v in villages], is_published=True).count() == 2


def test_the_history_of_an_experience_lists_who_published_it(operator, village):
    experience = ExperienceFactory(village=village, is_published=False)
    run_action(operator, "experience", "publish", [experience.pk])
    entry = LogEntry.objects.get(object_id=str(experience.pk))
    assert entry.user.username == "op"
    assert entry.is_change()
    history = operator.get(en("admin:villages_experience_history", experience.pk))
    assert history.status_code == 200
    body = history.content.decode()
    assert "<td>op</td>" in body
    assert "Changed published." in body


def test_the_village_change_page_previews_cover_and_gallery_images_with_their_thumbnails(operator, village):
    village.cover_image = uploaded_image("cover.jpg")
    village.cover_image_alt_en = "The lake at dawn"
    village.save()
    later = VillageImageFactory(village=village, position=5, alt_text_en="Later photo")
    earlier = VillageImageFactory(village=village, position=1, alt_text_en="Earlier photo")
    body = operator.get(en("admin:villages_village_change", village.pk)).content.decode()
    storage = village.cover_image.storage
    cover_thumb = storage.url(thumbnail_name(village.cover_image.name, 320))
    assert f'<img src="{cover_thumb}" alt="The lake at dawn"' in body
    for image in (later, earlier):
        thumb = storage.url(thumbnail_name(image.image.name, 320))
        assert f'<img src="{thumb}" alt="{image.alt_text_en}"' in body
    assert body.index("Earlier photo") < body.index("Later photo"), "the gallery is in position order"
    assert 'name="images-0-position"' in body


def test_a_small_picture_without_a_thumbnail_is_previewed_as_the_original(operator, village):
    experience = ExperienceFactory(village=village)
    image = ExperienceImageFactory(experience=experience, image=uploaded_image(size=(200, 150)))
    body = operator.get(en("admin:villages_experience_change", experience.pk)).content.decode()
    assert f'<img src="{image.image.url}"' in body
