"""The demo routes from Shanghai to the two demo villages, loaded by `seed_demo` (load_routes).

The places are real ones on the way (上海南站 and the 金山铁路 to 金山卫站 for 水库村 in 漕泾镇; 虹桥火车站 and Metro
Line 17 to 东方绿舟 for 岑卜村 in 金泽镇; 人民广场 in the centre for the drives), but the newspaper articles behind
the demo give no routes: EVERY minute and kilometre figure below is a DEMO VALUE, and each route's note says so on
the page, in the API and in the emails.
"""

from decimal import Decimal

from villages.models import Route, RouteLeg

DEMO_NOTE = {
    "note_zh_hans": "示例路线，出行前请核实：时间和距离均为示例值。",
    "note_en": "Demo route — check before you travel: times and distances are demo values.",
}

SHANGHAI_SOUTH = ("上海南站", "Shanghai South Railway Station")
JINSHANWEI = ("金山卫站", "Jinshanwei Station")
SHUIKU = ("水库村", "Shuiku Village")
HONGQIAO = ("虹桥火车站", "Hongqiao Railway Station")
ORIENTAL_LAND = ("东方绿舟站", "Oriental Land Station")
CENBU = ("岑卜村", "Cenbu Village")
PEOPLES_SQUARE = ("人民广场", "People’s Square")
NO_LINE = ("", "")


def _leg(mode: str, line: tuple, start: tuple, end: tuple, minutes: int, km: str) -> dict:
    """One leg in both languages; `minutes` and `km` are demo values."""
    return {
        "mode": mode,
        "line_zh_hans": line[0],
        "line_en": line[1],
        "start_zh_hans": start[0],
        "start_en": start[1],
        "end_zh_hans": end[0],
        "end_en": end[1],
        "minutes": minutes,
        "km": Decimal(km),
    }


JINSHAN_RAILWAY = _leg("rail", ("金山铁路", "Jinshan Railway"), SHANGHAI_SOUTH, JINSHANWEI, 35, "56.4")  # DEMO figures
LINE_17 = _leg("metro", ("17号线", "Metro Line 17"), HONGQIAO, ORIENTAL_LAND, 50, "35.3")  # DEMO figures

# Village slug: its routes in order, each (origin, legs). Every minutes and km figure is a DEMO VALUE.
ROUTES = {
    "shuiku": [
        (SHANGHAI_SOUTH, [JINSHAN_RAILWAY, _leg("taxi", NO_LINE, JINSHANWEI, SHUIKU, 25, "16.0")]),
        (PEOPLES_SQUARE, [_leg("car", NO_LINE, PEOPLES_SQUARE, SHUIKU, 80, "75.0")]),
    ],
    "cenbu": [
        (HONGQIAO, [LINE_17, _leg("taxi", NO_LINE, ORIENTAL_LAND, CENBU, 20, "12.0")]),
        (HONGQIAO, [LINE_17, _leg("bicycle", NO_LINE, ORIENTAL_LAND, CENBU, 50, "12.0")]),
        (PEOPLES_SQUARE, [_leg("car", NO_LINE, PEOPLES_SQUARE, CENBU, 75, "65.0")]),
    ],
}


def load_routes(seed, villages: dict) -> None:
    """Routes keyed by village and position, legs by route and position: a second run changes nothing."""
    for slug, routes in ROUTES.items():
        for position, (origin, legs) in enumerate(routes, start=1):
            route = seed.upsert(
                Route,
                {"village": villages[slug], "position": position},
                {"origin_zh_hans": origin[0], "origin_en": origin[1], **DEMO_NOTE},
            )
            for leg_position, leg in enumerate(legs, start=1):
                seed.upsert(RouteLeg, {"route": route, "position": leg_position}, leg)
