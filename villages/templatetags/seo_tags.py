from django import template

from villages import seo

register = template.Library()


@register.inclusion_tag("villages/_seo_head.html", takes_context=True)
def seo_head(context):
    """Canonical address, language versions, Open Graph and JSON-LD of the view's `page_meta` (villages.seo);
    nothing for a page without one."""
    meta = context.get("page_meta")
    request = context.get("request")
    if meta is None or request is None:
        return {}
    return seo.head_tags(request, meta)
