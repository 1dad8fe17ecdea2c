"""Lists come a page at a time: ``?page=2&page_size=50`` (at most 100 a page)."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination

from practica.core.listing import PAGE_SIZE


class Pagination(PageNumberPagination):
    page_size = PAGE_SIZE  # the same default as the list pages
    page_size_query_param = "page_size"
    max_page_size = 100
