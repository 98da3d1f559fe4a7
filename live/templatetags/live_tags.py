"""Streams on other apps' pages, without those apps importing live: a village's next streams."""

from django import template

from live import selectors

register = template.Library()


@register.simple_tag
def next_streams(village) -> list:
    """`{% next_streams village as streams %}`: the village's streams live now or coming up, at most a few."""
    return list(selectors.coming_up_or_live(village)[: selectors.STREAMS_ON_VILLAGE_PAGE])
