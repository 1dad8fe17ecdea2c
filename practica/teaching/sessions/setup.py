"""What the sessions area adds to the site when the app is ready: navigation, home panels,
import kinds and reports (called from TeachingConfig.ready)."""

from __future__ import annotations


def register() -> None:
    from practica.core.home import HomePanel, add_home_panel
    from practica.core.navigation import Section, add_section
    from practica.teaching.sessions import (  # noqa: F401 - importers and reports register
        importers,
        reports,
        selectors,
    )
    from practica.teaching.sessions.models import TeachingRequest

    add_section(
        Section(
            "Requests and sessions",
            "teaching:request-list",
            TeachingRequest,
            order=55,
            group="teaching",
        )
    )
    add_section(
        Section(
            "My teaching sessions",
            "teaching:my-sessions",
            None,
            order=56,
            shown_to=selectors.has_my_sessions,
            group="teaching",
        )
    )
    add_home_panel(HomePanel("teaching-requests", selectors.academic_cards, order=55))
    add_home_panel(HomePanel("teaching-requests-to-answer", selectors.la_lead_cards, order=56))
    add_home_panel(HomePanel("teaching-my-sessions", selectors.my_session_cards, order=57))
