"""Search, sort and paginate a scoped list the same way on every list page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


@dataclass(frozen=True)
class SortHeader:
    label: str
    url: str
    aria_sort: str  # ascending | descending | none


@dataclass(frozen=True)
class Listing:
    page: Page[Any]
    headers: dict[str, SortHeader]
    query_without_page: str
    total: int
    page_parameter: str = "page"


def listing(
    request: HttpRequest,
    queryset: QuerySet[Any],
    *,
    sorts: dict[str, tuple[str, str]],
    default_sort: str,
    page_size: int = PAGE_SIZE,
    page_parameter: str = "page",
) -> Listing:
    """``sorts`` maps a sort key to (column label, ORM field); ``?sort=-key`` sorts descending.
    ``page_parameter`` names the page's GET parameter (two lists on one page need two)."""
    requested = request.GET.get("sort", default_sort)
    key = requested.removeprefix("-")
    if key not in sorts:
        requested, key = default_sort, default_sort.removeprefix("-")
    descending = requested.startswith("-")
    field = sorts[key][1]
    ordered = queryset.order_by(f"-{field}" if descending else field, "pk")

    params = request.GET.copy()
    params.pop(page_parameter, None)
    headers = {}
    for sort_key, (label, _field) in sorts.items():
        active = sort_key == key
        next_sort = sort_key if not active or descending else f"-{sort_key}"
        header_params = params.copy()
        header_params["sort"] = next_sort
        aria = ("descending" if descending else "ascending") if active else "none"
        headers[sort_key] = SortHeader(label, f"?{header_params.urlencode()}", aria)

    paginator = Paginator(ordered, page_size)
    page = paginator.get_page(request.GET.get(page_parameter))
    return Listing(page, headers, params.urlencode(), paginator.count, page_parameter)


def paginate(request: HttpRequest, items: Sequence[Any], *, page_size: int = PAGE_SIZE) -> Listing:
    """A list already in its order (sorted in Python), paginated like :func:`listing`; a
    sequence that reads its rows only when sliced is read one page at a time."""
    params = request.GET.copy()
    params.pop("page", None)
    paginator = Paginator(items, page_size)
    return Listing(paginator.get_page(request.GET.get("page")), {}, params.urlencode(), len(items))
