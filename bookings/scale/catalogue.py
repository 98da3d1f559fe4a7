"""The generator's catalogue: towns, published villages (some honoured) and their experiences."""

from datetime import timedelta

from bookings.scale.rows import (
    FIREFLY_EVERY,
    GENERATED_EMAIL_DOMAIN,
    GENERATED_PREFIX,
    copy_rows,
    generated_villages,
    translated,
    translated_names,
)
from bookings.scale.texts import (
    ACCESSIBILITY,
    FIREFLY_SENTENCE,
    FIREFLY_TITLES,
    GENERATED_NOTE,
    KINDS,
    SENTENCES,
    SYLLABLES,
    TAGLINES,
    WEATHER_POLICY,
    WHAT_TO_BRING,
)
from villages.models import District, Experience, Honour, Organisation, Town, Village, VillageHonour
from villages.months import ALL_MONTHS_MASK


class CatalogueRows:
    """Towns, villages and experiences, for Generator (which holds rng, sizes, now and the command)."""

    def place_name(self) -> tuple[str, str]:
        (zh1, en1), (zh2, en2) = self.rng.sample(SYLLABLES, 2)
        return zh1 + zh2, en1 + en2.lower()

    def sentences(self, count: int, extra=()) -> tuple[str, str]:
        chosen = self.rng.sample(SENTENCES, count) + list(extra)
        self.rng.shuffle(chosen)
        return "".join(zh for zh, _en in chosen), " ".join(en for _zh, en in chosen)

    def towns(self) -> dict:
        districts = list(District.objects.order_by("slug"))
        if not districts:
            districts = [
                District.objects.create(slug=f"{GENERATED_PREFIX}district-{n}", name_zh_hans=zh, name_en=en)
                for n, (zh, en) in enumerate([("东滩区", "Dongtan District"), ("西岸区", "Xi'an District")], start=1)
            ]
        existing = list(Town.objects.exclude(slug__startswith=GENERATED_PREFIX).order_by("slug"))
        wanted = max(2, min(24, self.sizes["villages"] // 40))
        created = []
        for n in range(1, wanted + 1):
            zh, en = self.place_name()
            created.append(
                Town.objects.create(
                    slug=f"{GENERATED_PREFIX}town-{n:02d}",
                    name_zh_hans=f"{zh}镇",
                    name_en=f"{en} Town",
                    district=districts[n % len(districts)],
                )
            )
        self.command.step("towns")
        return {
            "ids": [town.pk for town in existing + created],
            "report": f"{len(created)} generated ({GENERATED_PREFIX}town-…) beside {len(existing)} existing, "
            f"over {len(districts)} districts",
        }

    def villages(self, towns) -> dict:
        count = self.sizes["villages"]
        rng = self.rng
        operators = list(Organisation.objects.values_list("pk", flat=True))
        rows, names = [], []
        for n in range(1, count + 1):
            zh, en = self.place_name()
            name = (f"{zh}村", f"{en} Village")
            tagline = rng.choice(TAGLINES)
            summary = self.sentences(2)
            description = self.sentences(rng.randint(3, 5), extra=[GENERATED_NOTE])
            getting_there = (
                f"从上海南站乘公交或自驾约{rng.randint(50, 120)}分钟。",
                f"About {rng.randint(50, 120)} minutes from Shanghai South Railway Station by bus or car.",
            )
            latitude = round(rng.uniform(30.75, 31.45), 6)
            longitude = round(rng.uniform(120.95, 121.85), 6)
            operator = rng.choice(operators) if operators and rng.random() < 0.1 else None
            position = 100 + n % 50
            names.append((name, latitude, longitude, position))
            created = self.now - timedelta(days=rng.uniform(30, 900))
            rows.append(
                (
                    f"{GENERATED_PREFIX}village-{n:05d}",
                    *translated(name),
                    *translated(tagline),
                    *translated(summary),
                    *translated(description),
                    *translated(getting_there),
                    f"village-{n:05d}@{GENERATED_EMAIL_DOMAIN}",
                    latitude,
                    longitude,
                    rng.choice(towns["ids"]),
                    operator,
                    position,
                    True,
                    created,
                    created,
                )
            )
        copy_rows(
            Village,
            [
                "slug",
                *translated_names("name"),
                *translated_names("tagline"),
                *translated_names("summary"),
                *translated_names("description"),
                *translated_names("getting_there"),
                "contact_email",
                "latitude",
                "longitude",
                "town_id",
                "operator_id",
                "position",
                "is_published",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        ids = dict(generated_villages().values_list("slug", "pk"))
        villages = [
            {"id": ids[row[0]], "name": name, "latitude": latitude, "longitude": longitude, "position": position}
            for row, (name, latitude, longitude, position) in zip(rows, names, strict=True)
        ]
        honours = list(Honour.objects.values_list("pk", flat=True))
        honoured = 0
        if honours:
            honoured = copy_rows(
                VillageHonour,
                ["village_id", "honour_id", "year"],
                (
                    (village["id"], rng.choice(honours), rng.randint(2019, 2025))
                    for village in villages
                    if rng.random() < 0.15
                ),
            )
        self.command.step("villages")
        return {"rows": villages, "report": f"{count:,} published ({GENERATED_PREFIX}village-…), {honoured:,} honoured"}

    def experiences(self, villages) -> dict:
        count, rng = self.sizes["experiences"], self.rng
        kinds = list(KINDS)
        rows, plans = [], []
        fireflies = unpublished = 0
        per_village = [0] * len(villages)
        for n in range(count):
            index = n * len(villages) // count
            village = villages[index]
            per_village[index] += 1
            firefly = n % FIREFLY_EVERY == FIREFLY_EVERY // 2
            kind = Experience.Kind.FIREFLY_VIEWING if firefly else kinds[(n * 7 + index) % len(kinds)]
            titles = FIREFLY_TITLES if firefly else KINDS[kind]
            pick = rng.randrange(len(titles[0]))
            village_zh, village_en = village["name"]
            title = (titles[0][pick].format(v=village_zh), titles[1][pick].format(v=village_en))
            description = self.sentences(rng.randint(2, 4), extra=[FIREFLY_SENTENCE] if firefly else ())
            plan = {
                "kind": kind,
                "duration": rng.choice([60, 90, 120, 180, 240]),
                "adult_price": rng.choice([0, 38, 58, 68, 88, 98, 128, 168, 198, 268, 398]),
                "capacity": rng.randint(8, 30),
                "max_party_size": rng.choice([6, 8, 10]),
            }
            plan["child_price"] = plan["adult_price"] // 2
            published = rng.random() >= 0.03
            fireflies += firefly
            unpublished += not published
            created = self.now - timedelta(days=rng.uniform(30, 600))
            rows.append(
                (
                    f"{GENERATED_PREFIX}exp-{n + 1:06d}",
                    village["id"],
                    kind,
                    *translated(title),
                    *translated(description),
                    *translated((f"{village_zh}村口游客中心", f"The visitor centre at the gate of {village_en}")),
                    round(village["latitude"] + rng.uniform(-0.01, 0.01), 6),
                    round(village["longitude"] + rng.uniform(-0.01, 0.01), 6),
                    *translated(WHAT_TO_BRING),
                    *translated(ACCESSIBILITY),
                    *translated(WEATHER_POLICY),
                    rng.choice([0, 0, 60, 120]),
                    plan["duration"],
                    plan["adult_price"],
                    plan["child_price"],
                    plan["capacity"],
                    rng.choice([0, 0, 0, 6, 12]),
                    ALL_MONTHS_MASK,
                    plan["max_party_size"],
                    rng.choice([24, 24, 48]),
                    rng.random() < 0.05,
                    per_village[index],
                    village["position"],  # the list's order key (Experience.village_position), as save() keeps it
                    published,
                    created,
                    created,
                )
            )
            plans.append(plan)
        copy_rows(
            Experience,
            [
                "slug",
                "village_id",
                "kind",
                *translated_names("title"),
                *translated_names("description"),
                *translated_names("meeting_point"),
                "meeting_point_latitude",
                "meeting_point_longitude",
                *translated_names("what_to_bring"),
                *translated_names("accessibility"),
                *translated_names("weather_policy"),
                "booking_cutoff_minutes",
                "duration_minutes",
                "adult_price",
                "child_price",
                "capacity",
                "min_age",
                "season_mask",
                "max_party_size",
                "cancellation_window_hours",
                "requires_approval",
                "position",
                "village_position",
                "is_published",
                "created_at",
                "updated_at",
            ],
            rows,
        )
        ids = dict(Experience.objects.filter(slug__startswith=GENERATED_PREFIX).values_list("slug", "pk"))
        for row, plan in zip(rows, plans, strict=True):
            plan["id"] = ids[row[0]]
        self.command.step("experiences")
        return {
            "rows": plans,
            "report": f"{count:,} ({GENERATED_PREFIX}exp-…), {count - unpublished:,} published, "
            f"{fireflies} about fireflies",
        }
