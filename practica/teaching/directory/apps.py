"""What the directories add to the shared registries (called from ``TeachingConfig.ready``):
navigation sections, home panels, import kinds and the ``pt-directory`` report."""

from __future__ import annotations


def register() -> None:
    from practica.accounts.grants import MANAGE
    from practica.core.home import HomePanel, add_home_panel
    from practica.core.navigation import Section, add_section
    from practica.teaching.directory import (  # noqa: F401 - they register import kinds and reports
        importers,
        reports,
    )
    from practica.teaching.directory.models import LivedExperienceContributor, PractitionerTeacher
    from practica.teaching.directory.selectors import (
        contributors_card,
        has_own_contributor_page,
        has_own_pt_page,
        own_contributor_card,
        own_steps_card,
        pt_reviews_card,
    )

    add_section(
        Section(
            "Practitioner teachers",
            "teaching:pt-list",
            PractitionerTeacher,
            order=45,
            group="teaching",
        )
    )
    add_section(
        Section(
            "Reviews overdue",
            "teaching:pt-reviews",
            PractitionerTeacher,
            order=46,
            ability=MANAGE,
            group="teaching",
        )
    )
    add_section(
        Section(
            "Lived-experience contributors",
            "teaching:contributor-list",
            LivedExperienceContributor,
            order=47,
            ability=MANAGE,
            group="teaching",
        )
    )
    add_section(
        Section(
            "My practitioner teacher steps",
            "teaching:pt-mine",
            None,
            order=48,
            shown_to=has_own_pt_page,
            group="teaching",
        )
    )
    add_section(
        Section(
            "My contributor entry",
            "teaching:contributor-mine",
            None,
            order=49,
            shown_to=has_own_contributor_page,
            group="teaching",
        )
    )
    add_home_panel(HomePanel("pt-reviews", pt_reviews_card, order=45))
    add_home_panel(HomePanel("pt-steps", own_steps_card, order=46))
    add_home_panel(HomePanel("contributors", contributors_card, order=47))
    add_home_panel(HomePanel("contributor-entry", own_contributor_card, order=48))
