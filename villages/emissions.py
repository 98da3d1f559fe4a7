"""CO₂ per person of a journey, from each leg's kilometres and one published emission factor per mode.

Every factor lives here, and nowhere else. They are the UK Government's "Greenhouse gas reporting: conversion
factors 2020" (BEIS/Defra), kg CO₂e per passenger-km, direct emissions (no well-to-tank), from its sheets "Business
travel- land" and "Business travel- sea":
https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2020
China publishes no per-passenger-km table for these modes that we could cite, so UK averages stand in for
Shanghai's: they tell which way of travelling emits less, not a measured figure for a given line.

How each figure was checked (no copy of the published file itself could be opened from here):
- rail, metro, ferry: as reproduced from the Government's table by Thrust Carbon on 7 January and 4 February 2021,
  when the 2020 set was the current one (the year is inferred from those dates; the pages do not print it).
- bus: as reproduced by the same publisher in an undated article of that series; its year is NOT confirmed.
- car: "Car (medium) - business travel", unknown fuel, 0.28276 kg CO₂e per vehicle-mile in the 2020 flat file (as
  listed by Climatiq under that dataset and year); converted here to kilometres. The "Average car" row of the same
  table could not be confirmed, so the medium car, the closest confirmed row, stands for driving.
- taxi: no taxi figure could be confirmed; a taxi is counted as that same car per vehicle-km, all of it charged to
  the visitor's party (one party per taxi, as when driving alone).
- walking and cycling emit nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

KM_PER_MILE = Decimal("1.609344")  # the international mile

NATIONAL_RAIL = Decimal("0.03694")  # Rail: National rail, per passenger-km
LONDON_UNDERGROUND = Decimal("0.02750")  # Rail: London Underground, per passenger-km (the table's metro)
AVERAGE_LOCAL_BUS = Decimal("0.10312")  # Bus: Average local bus, per passenger-km
FERRY_FOOT_PASSENGER = Decimal("0.01874")  # Ferry: Foot passenger, per passenger-km
MEDIUM_CAR_PER_MILE = Decimal("0.28276")  # Cars (by size): Medium car, unknown fuel, per vehicle-mile

CAR = MEDIUM_CAR_PER_MILE / KM_PER_MILE  # per vehicle-km: driving alone, the whole car is one person's

# kg CO₂e per person-km of each mode (RouteLeg.Mode values).
FACTORS: dict[str, Decimal] = {
    "metro": LONDON_UNDERGROUND,
    "rail": NATIONAL_RAIL,
    "bus": AVERAGE_LOCAL_BUS,
    "ferry": FERRY_FOOT_PASSENGER,
    "car": CAR,
    "taxi": CAR,
    "walk": Decimal(0),
    "bicycle": Decimal(0),
}

SHOWN = Decimal("0.1")


def rounded(kg: Decimal) -> Decimal:
    """A figure as people read it: one decimal, halves up."""
    return kg.quantize(SHOWN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Footprint:
    """A journey's totals. `co2` and `car_co2` are exact; the `_kg` properties are the figures shown."""

    minutes: int
    km: Decimal
    co2: Decimal
    car_co2: Decimal

    @property
    def co2_kg(self) -> Decimal:
        return rounded(self.co2)

    @property
    def car_co2_kg(self) -> Decimal:
        return rounded(self.car_co2)

    @property
    def saved_kg(self) -> Decimal:
        """How much less than driving the same distance alone; 0.0 when it is no less (a journey by car)."""
        return max(rounded(self.car_co2 - self.co2), Decimal("0.0"))


def footprint(legs: Iterable) -> Footprint:
    """Totals of legs with `mode`, `minutes` and `km`: time, distance, CO₂ per person, and driving it alone."""
    minutes, km, co2 = 0, Decimal(0), Decimal(0)
    for leg in legs:
        minutes += leg.minutes
        km += leg.km
        co2 += leg.km * FACTORS[leg.mode]
    return Footprint(minutes=minutes, km=km, co2=co2, car_co2=km * CAR)
