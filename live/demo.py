"""One scheduled stream per demo village, loaded by `seed_demo` after the villages and their sessions.

The articles describe Shanghai's plan for live-stream commerce ("直播+生活服务业", "直播+消费扶贫", streams of events
and first launches) but name no stream of either village: everything here is a demo value and says so.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from live.models import LiveStream
from villages.models import Session

FEATURED_SESSIONS = 3
DEMO_STREAMS = [
    {
        "village": "cenbu",
        "experience": "cenbu-firefly-viewing",
        "in_days": 2,
        "at": time(19, 0),
        "minutes": 60,
        "platform": LiveStream.Platform.CHANNELS,
        "room_id": "DEMO-cenbu",
        "title_zh_hans": "【示例直播】岑卜村萤火虫之夜预告",
        "title_en": "[Demo stream] A look at Cenbu's firefly evenings",
        "description_zh_hans": (
            "示例信息：演示直播日历如何运作，并非真实直播。主播带观众走一遍萤火虫观赏的路线，"
            "介绍接下来几个晚上的场次，观众可在本页直接预订。"
        ),
        "description_en": (
            "Demo value: shows how the live calendar works; not a real broadcast. The host walks the firefly "
            "route and presents the next evenings, which viewers can book from this page."
        ),
        "host_zh_hans": "示例主播",
        "host_en": "Demo host",
    },
    {
        "village": "shuiku",
        "experience": "shuiku-nomad-workday",
        "in_days": 3,
        "at": time(20, 0),
        "minutes": 60,
        "platform": LiveStream.Platform.DOUYIN,
        "room_id": "DEMO-shuiku",
        "title_zh_hans": "【示例直播】在水库村数字游民国际村工作一天",
        "title_en": "[Demo stream] A working day at Shuiku's Digital Nomad International Village",
        "description_zh_hans": (
            "示例信息：演示直播日历如何运作，并非真实直播。介绍数字游民体验日的场次，观众可在本页直接预订。"
        ),
        "description_en": (
            "Demo value: shows how the live calendar works; not a real broadcast. It presents the nomad workday "
            "sessions, which viewers can book from this page."
        ),
        "host_zh_hans": "示例主播",
        "host_en": "Demo host",
    },
]


def load_streams(seed, villages: dict, today: date) -> None:
    """Dates relative to `today` (Shanghai time): a second run the same day changes nothing."""
    tz = timezone.get_default_timezone()
    for item in DEMO_STREAMS:
        village = villages[item["village"]]
        starts_at = datetime.combine(today + timedelta(days=item["in_days"]), item["at"], tzinfo=tz)
        values = {
            "title_en": item["title_en"],
            "description_zh_hans": item["description_zh_hans"],
            "description_en": item["description_en"],
            "host_zh_hans": item["host_zh_hans"],
            "host_en": item["host_en"],
            "platform": item["platform"],
            "room_id": item["room_id"],
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(minutes=item["minutes"]),
            "status": LiveStream.Status.SCHEDULED,
            "is_published": True,
        }
        stream = seed.upsert(LiveStream, {"village": village, "title_zh_hans": item["title_zh_hans"]}, values)
        featured = Session.objects.bookable().filter(
            experience__slug=item["experience"], starts_at__gte=stream.starts_at
        )[:FEATURED_SESSIONS]
        stream.sessions.set(list(featured))
