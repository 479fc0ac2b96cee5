from django.urls import reverse

from gongyi.navigation import nav_for


def navigation(request):
    items = []
    for item in nav_for(getattr(request, "user", None)):
        url = reverse(item.url_name)
        path = request.path
        current = path == url if item.section == "/" else path.startswith(item.section)
        items.append({"label": item.label, "url": url, "current": current})
    return {"nav_items": items}
