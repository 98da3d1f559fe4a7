"""An experience's season as a 12-bit mask (bit 0 = January): compact, and checkable by the database."""

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
