"""The API documentation page: Swagger UI from drf-spectacular-sidecar's static files (no CDN),
inside the site's layout, with no inline script or style (the site's CSP allows neither)."""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    """The page's script is fetched from the same URL with ``?script`` (the split view), so the
    page itself holds no inline ``<script>``; its template adds no inline ``<style>`` either."""

    template_name = "api/docs.html"
    url_name = "api:schema"
    title = "API documentation"
