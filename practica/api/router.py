"""The one router of ``/api/v1/``. Each domain app registers its viewsets on it from its own
``practica/<app>/api.py`` (imported by ``practica.api.urls``); see docs/0008-api.md."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

# Path converters rather than regular expressions, so the URL-walking access tests see each
# route's parameters (tests/routes.py) exactly as they see the pages'.
router = SimpleRouter(use_regex_path=False)
