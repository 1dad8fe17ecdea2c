"""Browser tests: real Chromium driven by Playwright against pytest-django's live server."""
