"""The villages' time zone: every time is stored in UTC and shown, grouped into days and exported in this one."""

from zoneinfo import ZoneInfo

VILLAGE_TIME_ZONE = "Asia/Shanghai"
SHANGHAI = ZoneInfo(VILLAGE_TIME_ZONE)
