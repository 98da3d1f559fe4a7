"""Generated villages, experiences, sessions and bookings in bulk, to measure the site at ten
times its data (README "Speed at ten times the data"); `--delete` takes them away again.

    manage.py seed_scale --villages 1000 --experiences 10000 --sessions 500000 --bookings 1000000
    manage.py seed_scale --delete

It lives in the bookings app because it writes the catalogue and the bookings on it (bookings may import villages,
never the other way round). PostgreSQL only: rows go in with COPY (psycopg 3), in one transaction, then the tables
are analysed so the planner knows their new size.

Every generated row is marked: towns, villages and experiences have slugs starting with `gen-`; sessions are the
generated experiences'; bookings are on generated sessions, with emails @generated.invalid. `--delete` removes
exactly those (and whatever else was added on them later: bookings made on generated sessions, waiting lists, their
emails, live streams of generated villages), with set-based DELETEs in dependency order, and leaves the demo and
every other row alone. A second run without --delete refuses and adds nothing.

The shape: published villages spread over the existing districts' towns and a few generated ones, ~10 experiences
each of the existing kinds with Chinese and English texts (萤火虫 / fireflies rarely: one experience in 1000), sessions
from 60 days back to 180 days ahead with 8-30 seats, bookings mostly confirmed (past sessions: checked in, no-shows,
cancellations too), each session's `seats_taken` the seats of its bookings that hold seats, never above capacity.
Do not run a Celery beat against a generated database: it would queue reminders for the bookings of the next day.
"""

import random
import secrets
import time
from array import array
from datetime import datetime, timedelta
from datetime import time as clock

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from bookings.models import Booking
from core import page_cache
from core.codes import READABLE_ALPHABET
from villages.models import District, Experience, Honour, Organisation, Session, Town, Village, VillageHonour
from villages.months import ALL_MONTHS_MASK

GENERATED_PREFIX = "gen-"
GENERATED_EMAIL_DOMAIN = "generated.invalid"
REFERENCE_PREFIX = "GE"  # what the booking service would write for a village whose slug starts with gen-
PAST_DAYS = 60
AHEAD_DAYS = 180
FIREFLY_EVERY = 1000  # one experience in this many is about fireflies: a search for 萤火虫 finds a few villages

# Bijections of 0..N-1 onto themselves (a multiplier coprime with the alphabet's powers): every booking number gets a
# reference and a check-in code of its own, never drawn twice, without asking the database.
REFERENCE_SPACE = len(READABLE_ALPHABET) ** 6
CHECK_IN_SPACE = len(READABLE_ALPHABET) ** 8
REFERENCE_MULTIPLIER = 548_503_967  # about the golden ratio of the space: neighbours look unrelated
CHECK_IN_MULTIPLIER = 527_114_017_711

# --- Text -----------------------------------------------------------------------------------------------------------

SYLLABLES = [
    ("青", "Qing"), ("溪", "Xi"), ("桃", "Tao"), ("竹", "Zhu"), ("荷", "He"), ("柳", "Liu"), ("石", "Shi"),
    ("松", "Song"), ("梅", "Mei"), ("枫", "Feng"), ("云", "Yun"), ("泉", "Quan"), ("湖", "Hu"), ("塘", "Tang"),
    ("港", "Gang"), ("浜", "Bang"), ("泾", "Jing"), ("桥", "Qiao"), ("湾", "Wan"), ("田", "Tian"), ("沙", "Sha"),
    ("金", "Jin"), ("杏", "Xing"), ("菱", "Ling"), ("莲", "Lian"), ("蒲", "Pu"), ("芦", "Lu"), ("渔", "Yu"),
    ("稻", "Dao"), ("茶", "Cha"), ("花", "Hua"), ("林", "Lin"), ("河", "He"), ("山", "Shan"), ("东", "Dong"),
    ("南", "Nan"), ("北", "Bei"), ("新", "Xin"), ("安", "An"), ("兴", "Xing"), ("丰", "Feng"), ("华", "Hua"),
    ("永", "Yong"), ("长", "Chang"), ("望", "Wang"), ("仓", "Cang"), ("朱", "Zhu"), ("庄", "Zhuang"),
]  # fmt: skip
TAGLINES = [
    ("稻田与河浜之间的慢生活", "Slow living between rice fields and creeks"),
    ("骑行、露营和田园餐桌", "Cycling, camping and farm-to-table meals"),
    ("老宅新生的乡村客厅", "Old houses reborn as the village's living room"),
    ("江南水乡的周末去处", "A weekend in a water town south of the Yangtze"),
    ("非遗手作与乡土市集", "Heritage crafts and a country market"),
    ("果园采摘与亲子农场", "Orchard picking and a family farm"),
    ("湖畔民宿与星空露营", "Lakeside homestays and camping under the stars"),
    ("数字游民的共享办公村", "A coworking village for digital nomads"),
    ("滨海湿地与候鸟观察", "Coastal wetlands and migrating birds"),
    ("竹林茶香里的乡村振兴", "Rural revitalisation among bamboo and tea"),
]
SENTENCES = [
    ("村里保留着成片的水杉林和老石桥。", "The village keeps its stands of dawn redwood and its old stone bridges."),
    ("周末有本地农户摆摊，卖自家种的蔬果。", "At weekends local farmers sell the vegetables and fruit they grow."),
    ("沿河新修了一条步道，适合散步和慢跑。", "A new path runs along the river, good for a walk or a run."),
    ("老粮仓改造成了咖啡馆和展览空间。", "The old granary is now a café and an exhibition space."),
    ("村委会和运营团队一起规划乡村旅游。", "The village committee plans its tourism together with an operator."),
    ("春天油菜花开，秋天稻田金黄。", "Rapeseed blooms in spring; in autumn the rice fields turn gold."),
    ("从市区出发，自驾约一个半小时可到。", "It is about an hour and a half's drive from the city centre."),
    ("村口的公交站有班车连接镇上的地铁站。", "A bus from the village gate connects to the town's metro station."),
    ("民宿由村民的老房子改建而成。", "The homestays are villagers' old houses, rebuilt."),
    ("每月举办一次乡村音乐会。", "A village concert takes place once a month."),
    ("这里的桃子和葡萄小有名气。", "Its peaches and grapes are known around the district."),
    ("湿地公园里能看到白鹭和野鸭。", "Egrets and wild ducks live in the wetland park."),
    ("共享办公空间提供高速网络和会议室。", "The coworking space has fast internet and a meeting room."),
    ("手作工坊教竹编、扎染和土布织造。", "The workshops teach bamboo weaving, tie-dye and homespun cloth."),
    ("村史馆讲述这里几百年的变迁。", "The village museum tells of its centuries of change."),
    ("骑行道串起了几个相邻的自然村。", "A cycle path links several neighbouring hamlets."),
]
WHAT_TO_BRING = ("舒适的鞋子和水杯", "Comfortable shoes and a water bottle")
ACCESSIBILITY = ("部分路段不平，轮椅通行不便", "Some paths are uneven: hard going for a wheelchair")
WEATHER_POLICY = ("雨天照常进行；暴雨或台风时取消并全额退款", "Runs in light rain; storms or typhoons: full refund")
GENERATED_NOTE = ("（本条为性能测试生成的数据。）", "(Generated for load testing.)")
KINDS = {
    Experience.Kind.CYCLING: (["{v}环村骑行", "{v}田野骑行半日游"], ["Cycling around {v}", "Half a day cycling {v}"]),
    Experience.Kind.KAYAKING: (["{v}河浜皮划艇"], ["Kayaking the creeks of {v}"]),
    Experience.Kind.WELLNESS: (["{v}湖畔瑜伽", "{v}森林冥想"], ["Lakeside yoga at {v}", "Forest meditation at {v}"]),
    Experience.Kind.PARENT_CHILD: (["{v}亲子农耕", "{v}亲子自然课"], ["Family farming at {v}", "Nature class at {v}"]),
    Experience.Kind.NOMAD_STAY: (["{v}数字游民工作日"], ["A digital nomad workday at {v}"]),
    Experience.Kind.LECTURE: (["{v}乡村振兴讲堂", "{v}村史讲座"], ["Village talk at {v}", "History of {v}: a talk"]),
    Experience.Kind.DINING: (["{v}田园午餐", "{v}农家私房菜"], ["Farm-to-table lunch at {v}", "Home cooking at {v}"]),
    Experience.Kind.HOMESTAY: (["{v}民宿一晚"], ["A night in a homestay at {v}"]),
    Experience.Kind.OTHER: (["{v}竹编手作", "{v}扎染工坊"], ["Bamboo weaving at {v}", "Tie-dye workshop at {v}"]),
}
FIREFLY_TITLES = (["{v}萤火虫之夜"], ["Firefly night at {v}"])
FIREFLY_SENTENCE = ("夏夜在溪边可以看到萤火虫。", "On summer nights fireflies glow along the stream.")
START_TIMES = {
    Experience.Kind.CYCLING: (clock(9, 30), clock(14, 0)),
    Experience.Kind.KAYAKING: (clock(10, 0), clock(14, 30)),
    Experience.Kind.WELLNESS: (clock(8, 0), clock(16, 0)),
    Experience.Kind.PARENT_CHILD: (clock(9, 30), clock(14, 0)),
    Experience.Kind.NOMAD_STAY: (clock(9, 0),),
    Experience.Kind.LECTURE: (clock(14, 0), clock(19, 0)),
    Experience.Kind.DINING: (clock(11, 30), clock(17, 30)),
    Experience.Kind.HOMESTAY: (clock(15, 0),),
    Experience.Kind.OTHER: (clock(10, 0), clock(14, 0)),
    Experience.Kind.FIREFLY_VIEWING: (clock(19, 30),),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN_NAMES = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玲"
FIRST_NAMES = ["Alex", "Sam", "Maria", "Lena", "Tom", "Yuki", "Omar", "Sofia", "Ben", "Chloe", "Ivan", "Nora"]
LAST_NAMES = ["Smith", "Müller", "Tanaka", "Garcia", "Kim", "Rossi", "Dubois", "Novak", "Silva", "Brown"]
MOBILE_PREFIXES = ["139", "138", "137", "186", "158", "177", "150", "189"]
NOTES = ["", "", "", "", "", "", "", "", "有一位老人同行", "需要儿童座椅", "We may arrive a little late", "素食"]

STATUSES = [
    Booking.Status.CONFIRMED,
    Booking.Status.CHECKED_IN,
    Booking.Status.NO_SHOW,
    Booking.Status.PENDING,
    Booking.Status.CANCELLED,
]
CONFIRMED, CHECKED_IN, NO_SHOW, PENDING, CANCELLED = range(len(STATUSES))
HOLDING = {CONFIRMED, CHECKED_IN, PENDING}  # as Booking.HOLDING_SEATS
BY_VISITOR, BY_OPERATOR = 1, 2
CANCELLED_BY = {0: "", BY_VISITOR: Booking.CancelledBy.VISITOR, BY_OPERATOR: Booking.CancelledBy.OPERATOR}


def code(number: int, length: int) -> str:
    letters = []
    for _ in range(length):
        number, digit = divmod(number, len(READABLE_ALPHABET))
        letters.append(READABLE_ALPHABET[digit])
    return "".join(reversed(letters))


def booking_codes(number: int) -> tuple[str, str]:
    """The reference and check-in code of generated booking `number`: in the service's formats, distinct for every
    number (a reference the service draws for a generated village could meet one; it draws again, as on any
    collision)."""
    reference = code((number * REFERENCE_MULTIPLIER + 12345) % REFERENCE_SPACE, 6)
    check_in = code((number * CHECK_IN_MULTIPLIER + 67890) % CHECK_IN_SPACE, 8)
    return f"{REFERENCE_PREFIX}-{reference}", check_in


def generated_villages():
    return Village.objects.filter(slug__startswith=GENERATED_PREFIX)


def generated_experiences():
    return Experience.objects.filter(slug__startswith=GENERATED_PREFIX) | Experience.objects.filter(
        village__slug__startswith=GENERATED_PREFIX
    )


def copy_rows(model, names: list[str], rows) -> int:
    """COPY `rows` (tuples in the order of `names`, attnames) into the model's table. The other columns get the
    field's default, so a field added later with a default needs nothing here, and one without refuses clearly;
    generated columns (GeneratedField) are left to the database."""
    fields = [model._meta.get_field(name) for name in names]
    rest = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and not field.generated and field.attname not in names  # generated: the database's
    ]
    tail = []
    for field in rest:
        value = field.get_db_prep_save(field.get_default(), connection)
        if value is None and not field.null:
            raise CommandError(f"seed_scale gives no value for {model.__name__}.{field.name}: add it to the command.")
        tail.append(value)
    tail = tuple(tail)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields + rest)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row + tail)
            count += 1
    return count


class Generator:
    """One run of the generator: plans with a seeded random number generator, writes with COPY."""

    def __init__(
        self, command: BaseCommand, seed: int, *, villages: int, experiences: int, sessions: int, bookings: int
    ):
        self.command = command
        self.rng = random.Random(seed)
        self.sizes = {"villages": villages, "experiences": experiences, "sessions": sessions, "bookings": bookings}
        self.now = timezone.now()
        self.tz = timezone.get_default_timezone()
        self.today = timezone.localdate(self.now, timezone=self.tz)

    def run(self):
        out = self.command.stdout
        out.write(
            "Generating {villages:,} villages, {experiences:,} experiences, {sessions:,} sessions and {bookings:,} "
            "bookings…".format(**self.sizes)
        )
        with transaction.atomic():
            towns = self.towns()
            villages = self.villages(towns)
            experiences = self.experiences(villages["rows"])
            sessions = self.sessions(experiences)
            bookings = self.bookings(experiences, sessions)
        page_cache.catalogue_changed()  # COPY sends no signals: the kept pages must not hide the new rows
        self.command.analyse([Village, VillageHonour, Experience, Session, Booking])
        elapsed = time.monotonic() - self.command.started
        out.write(f"  towns: {towns['report']}")
        out.write(f"  villages: {villages['report']}")
        out.write(f"  experiences: {experiences['report']}")
        out.write(f"  sessions: {sessions['report']}")
        out.write(f"  bookings: {bookings['report']}")
        out.write(f"  steps: {', '.join(self.command.timings)}")
        out.write(self.command.style.SUCCESS(f"Generated in {elapsed:.1f} s ({elapsed / 60:.1f} min)."))

    # --- Catalogue ------------------------------------------------------------------------------------------------

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

    # --- Sessions and bookings ------------------------------------------------------------------------------------

    def sessions(self, experiences) -> dict:
        """Plan every session (start, seats, called off or not), then each one's bookings, so that the sessions go in
        with their seats_taken; the bookings follow once the sessions have ids."""
        total, rng, tz = self.sizes["sessions"], self.rng, self.tz
        rows = experiences["rows"]
        first_day = self.today - timedelta(days=PAST_DAYS)
        days = PAST_DAYS + AHEAD_DAYS
        starts, experience_of, capacities, called_off = [], array("l"), array("l"), []
        for index, experience in enumerate(rows):
            count = total // len(rows) + (index < total % len(rows))
            times = START_TIMES[experience["kind"]]
            slots = days * len(times)
            if count <= slots:
                chosen = sorted(rng.sample(range(slots), count))
                moments = [
                    (first_day + timedelta(days=slot // len(times)), times[slot % len(times)]) for slot in chosen
                ]
            else:  # more sessions than the day's usual times allow: any minute of the window
                chosen = sorted(rng.sample(range(days * 24 * 60), count))
                moments = [(first_day + timedelta(days=m // 1440), clock(m % 1440 // 60, m % 60)) for m in chosen]
            for day, moment in moments:
                starts.append(datetime.combine(day, moment, tzinfo=tz))
                experience_of.append(index)
                capacities.append(experience["capacity"] if rng.random() < 0.8 else rng.randint(8, 30))
                # About one session in a hundred called off: when, or None.
                off = rng.random() < 0.01
                called_off.append(min(starts[-1] - timedelta(days=2), self.now - timedelta(hours=1)) if off else None)

        # Bookings per session: more on past sessions and the next month's than on those far ahead.
        soon = self.now + timedelta(days=30)
        weights = [1 if off else 3 if start < self.now else 2 if start < soon else 1 for start, off in
                   zip(starts, called_off, strict=True)]  # fmt: skip
        per_session = array("l", [0]) * len(starts)
        if self.sizes["bookings"]:
            for index in rng.choices(range(len(starts)), weights=weights, k=self.sizes["bookings"]):
                per_session[index] += 1
        plan = self.plan_bookings(starts, experience_of, capacities, called_off, per_session, rows)
        self.command.step("planned sessions and bookings")

        def session_rows():
            for index, start in enumerate(starts):
                experience = rows[experience_of[index]]
                cancelled = called_off[index]
                yield (
                    experience["id"],
                    start,
                    start + timedelta(minutes=experience["duration"]),
                    capacities[index],
                    plan["seats_taken"][index],
                    Session.Status.CANCELLED if cancelled else Session.Status.SCHEDULED,
                    "示例：天气原因取消 / Demo: called off for the weather" if cancelled else "",
                    cancelled,
                )

        copy_rows(
            Session,
            [
                "experience_id",
                "starts_at",
                "ends_at",
                "capacity",
                "seats_taken",
                "status",
                "cancellation_reason",
                "cancelled_at",
            ],
            session_rows(),
        )
        # Session ids, in the order planned: per experience by start (the unique pair).
        ids_by_experience = {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT experience_id, array_agg(id ORDER BY starts_at) FROM {Session._meta.db_table} "
                "WHERE experience_id = ANY(%s) GROUP BY experience_id",
                [[experience["id"] for experience in rows]],
            )
            ids_by_experience = dict(cursor.fetchall())
        ids = array("l")
        for experience in rows:
            ids.extend(ids_by_experience.get(experience["id"], []))
        past = sum(start < self.now for start in starts)
        self.command.step("sessions")
        return {
            "ids": ids,
            "starts": starts,
            "experience_of": experience_of,
            "called_off": called_off,
            "plan": plan,
            "report": f"{len(starts):,} from {first_day} to {first_day + timedelta(days=days - 1)} (Shanghai): "
            f"{past:,} past, {len(starts) - past:,} to come, {len(called_off) - called_off.count(None):,} called off; "
            f"{sum(plan['seats_taken']):,} of {sum(capacities):,} seats taken",
        }

    def plan_bookings(self, starts, experience_of, capacities, called_off, per_session, experiences) -> dict:
        """Each booking's party and status, session by session; a party that no longer fits is made smaller, or
        cancelled when the session is full, so seats_taken never passes the capacity."""
        rng, now = self.rng, self.now
        chance = rng.random
        party_adults = [1] * 25 + [2] * 45 + [3] * 20 + [4] * 10
        party_children = [0] * 60 + [1] * 25 + [2] * 15
        session_of, adults_of, children_of, status_of, by_of = (array("l"), array("B"), array("B"), array("B"),
                                                                array("B"))  # fmt: skip
        seats_taken = array("l", [0]) * len(starts)
        for index, count in enumerate(per_session):
            if not count:
                continue
            is_past = starts[index] < now
            is_off = called_off[index] is not None
            most = experiences[experience_of[index]]["max_party_size"]
            left = capacities[index]
            for _ in range(count):
                adults, children = rng.choice(party_adults), rng.choice(party_children)
                adults, children = min(adults, most), min(children, most - adults)
                draw = chance()
                by = 0
                if is_off:
                    status, by = CANCELLED, BY_OPERATOR
                elif is_past:
                    status = CONFIRMED if draw < 0.55 else CHECKED_IN if draw < 0.85 else NO_SHOW if draw < 0.9 else 9
                else:
                    status = CONFIRMED if draw < 0.85 else PENDING if draw < 0.9 else 9
                if status == 9:
                    status, by = CANCELLED, BY_OPERATOR if chance() < 0.2 else BY_VISITOR
                if status in HOLDING:
                    if not left:
                        status, by = CANCELLED, BY_VISITOR
                    else:
                        if adults + children > left:
                            adults = min(adults, left)
                            children = min(children, left - adults)
                        left -= adults + children
                session_of.append(index)
                adults_of.append(adults)
                children_of.append(children)
                status_of.append(status)
                by_of.append(by)
            seats_taken[index] = capacities[index] - left
        return {
            "session": session_of,
            "adults": adults_of,
            "children": children_of,
            "status": status_of,
            "by": by_of,
            "seats_taken": seats_taken,
        }

    def bookings(self, experiences, sessions) -> dict:
        rng, now = self.rng, self.now
        chance, randrange = rng.random, rng.randrange
        plan = sessions["plan"]
        rows = experiences["rows"]
        ids, starts, experience_of = sessions["ids"], sessions["starts"], sessions["experience_of"]
        called_off = sessions["called_off"]
        privacy = settings.PRIVACY_VERSION
        minute, day = timedelta(minutes=1), timedelta(days=1)
        status_names = [str(status) for status in STATUSES]
        by_names = {key: str(value) for key, value in CANCELLED_BY.items()}
        counts = [0] * len(STATUSES)

        def booking_rows():
            for number, index in enumerate(plan["session"]):
                start = starts[index]
                experience = rows[experience_of[index]]
                adults, children, status = plan["adults"][number], plan["children"][number], plan["status"][number]
                counts[status] += 1
                created = min(start - day * (0.05 + 40 * chance()), now - minute * (1 + 4000 * chance()))
                processed = created + timedelta(seconds=2 + 20 * chance())
                confirmed = processed if status in (CONFIRMED, CHECKED_IN, NO_SHOW) else None
                cancelled = None
                if called_off[index] is not None:  # cancelled with its session, after it was made
                    created = min(created, called_off[index] - minute * (5 + 4000 * chance()))
                    processed = created + timedelta(seconds=2 + 20 * chance())
                    cancelled = called_off[index]
                elif status == CANCELLED:
                    latest = min(start, now)
                    cancelled = processed + (latest - processed) * chance() if latest > processed else processed
                reference, check_in = booking_codes(number)
                english = chance() < 0.2
                if english:
                    name = f"{FIRST_NAMES[randrange(len(FIRST_NAMES))]} {LAST_NAMES[randrange(len(LAST_NAMES))]}"
                else:
                    name = SURNAMES[randrange(len(SURNAMES))] + GIVEN_NAMES[randrange(len(GIVEN_NAMES))]
                yield (
                    reference,
                    secrets.token_urlsafe(32),
                    check_in,
                    ids[index],
                    adults,
                    children,
                    name,
                    f"guest-{number:07d}@{GENERATED_EMAIL_DOMAIN}",
                    f"+86{MOBILE_PREFIXES[number % len(MOBILE_PREFIXES)]}{number * 7919 % 100_000_000:08d}",
                    "en" if english else "zh-hans",
                    NOTES[randrange(len(NOTES))],
                    f"{adults * experience['adult_price'] + children * experience['child_price']}.00",
                    status_names[status],
                    created,
                    processed,
                    confirmed,
                    cancelled,
                    by_names[plan["by"][number]],
                    start - timedelta(minutes=10) if status == CHECKED_IN else None,
                    privacy,
                )

        written = copy_rows(
            Booking,
            [
                "reference",
                "token",
                "check_in_code",
                "session_id",
                "adults",
                "children",
                "name",
                "email",
                "phone",
                "language",
                "notes",
                "total_price",
                "status",
                "created_at",
                "processed_at",
                "confirmed_at",
                "cancelled_at",
                "cancelled_by",
                "checked_in_at",
                "privacy_version",
            ],
            booking_rows(),
        )
        self.command.step("bookings")
        by_status = ", ".join(f"{counts[n]:,} {status_names[n]}" for n in range(len(STATUSES)) if counts[n])
        return {"report": f"{written:,} (emails @{GENERATED_EMAIL_DOMAIN}): {by_status}"}


def translated_names(field: str) -> list[str]:
    """The column modeltranslation keeps for the default language, then both languages' columns."""
    return [field, f"{field}_zh_hans", f"{field}_en"]


def translated(texts: tuple[str, str]) -> tuple[str, str, str]:
    zh, en = texts
    return zh, zh, en
