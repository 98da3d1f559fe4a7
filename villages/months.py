"""Months: an experience's season as a 12-bit mask (bit 0 = January), compact and checkable by the database;
and calendar arithmetic in whole months (residency cohorts and stays)."""

import calendar
from datetime import date

ALL_MONTHS_MASK = (1 << 12) - 1


def mask_from_months(months) -> int:
    mask = 0
    for month in months:
        month = int(month)
        if not 1 <= month <= 12:
            raise ValueError(f"not a month: {month}")
        mask |= 1 << (month - 1)
    return mask


def months_from_mask(mask: int) -> list[int]:
    return [month for month in range(1, 13) if mask & (1 << (month - 1))]


def month_runs(months: list[int]) -> list[tuple[int, int]]:
    """Consecutive months folded into (first, last) runs: [5, 6, 7, 10] -> [(5, 7), (10, 10)]."""
    runs: list[tuple[int, int]] = []
    for month in sorted(months):
        if runs and runs[-1][1] == month - 1:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
