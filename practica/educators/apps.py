from django.apps import AppConfig


class EducatorsConfig(AppConfig):
    name = "practica.educators"
    label = "educators"
    verbose_name = "Practice educators"

    def ready(self) -> None:
        from practica.core.home import HomePanel, add_home_panel
        from practica.core.navigation import Section, add_section
        from practica.educators.abilities import SHARED_REGISTER
        from practica.educators.recruitment import (  # noqa: F401 - they register import kinds
            importers as recruitment_importers,
        )
        from practica.educators.recruitment.models import PeApplication
        from practica.educators.recruitment.retention import APPLICATIONS_NOT_ACCEPTED
        from practica.educators.recruitment.selectors import (
            has_own_applications_page,
            has_support_requests,
            sits_on_panels,
        )
        from practica.educators.register import (  # noqa: F401 - import kinds and reports
            importers as register_importers,
        )
        from practica.educators.register import reports as register_reports  # noqa: F401
        from practica.educators.register.models import ChangeReport, PracticeEducator
        from practica.educators.register.pages import Tab, add_tab
        from practica.educators.register.selectors import changes_waiting_card, has_only_own_entry
        from practica.educators.tasks import educator_tasks
        from practica.educators.training import (  # noqa: F401 - import kinds and reports
            importers as training_importers,
        )
        from practica.educators.training import reports as training_reports  # noqa: F401
        from practica.educators.training.models import PepsCohort
        from practica.organisations import retention

        retention.register(APPLICATIONS_NOT_ACCEPTED)
        add_section(
            Section(
                "Practice educators",
                "educators:register",
                PracticeEducator,
                order=40,
                group="educators",
            )
        )
        # a PE who may not read the register still reaches their own entry
        add_section(
            Section(
                "My practice educator profile",
                "educators:my-profile",
                None,
                order=41,
                shown_to=has_only_own_entry,
                group="educators",
            )
        )
        add_section(
            Section(
                "My applications",
                "educators:my-applications",
                None,
                order=42,
                shown_to=has_own_applications_page,
                group="educators",
            )
        )
        add_section(
            Section(
                "Support requests",
                "educators:support-request-list",
                None,
                order=44,
                shown_to=has_support_requests,
                group="educators",
            )
        )
        add_section(
            Section(
                "Panels I sit on",
                "educators:panel-list",
                None,
                order=43,
                shown_to=sits_on_panels,
                group="educators",
            )
        )
        # the sub navigation of the practice educator pages, in this order
        add_tab(Tab("register", "Register", "educators:register", PracticeEducator))
        add_tab(Tab("lapsing", "Lapsing", "educators:lapsing", PracticeEducator))
        add_tab(Tab("reviews", "Reviews due", "educators:reviews-due", PracticeEducator))
        add_tab(Tab("changes", "Changes reported", "educators:change-list", ChangeReport))
        add_home_panel(HomePanel("educator-tasks", educator_tasks, order=20))
        add_home_panel(HomePanel("register-changes", changes_waiting_card, order=21))
        add_tab(
            Tab(
                "shared",
                "Stage 2 register",
                "educators:shared-register",
                PracticeEducator,
                SHARED_REGISTER,
            )
        )
        add_tab(Tab("peps", "PEPS training", "educators:cohort-list", PepsCohort))
        add_tab(Tab("applications", "Applications", "educators:application-list", PeApplication))

        from practica.core import breadcrumbs
        from practica.educators.register.models import PracticeEducator

        breadcrumbs.register_object("educators:detail", PracticeEducator)
        breadcrumbs.register_object("educators:application-detail", PeApplication)
        breadcrumbs.register_object("educators:my-application", PeApplication)
        breadcrumbs.register_object("educators:panel-application", PeApplication)
        breadcrumbs.register_object("educators:cohort-detail", PepsCohort)
        breadcrumbs.register_list("educators:application-list", "Applications")
        breadcrumbs.register_list("educators:change-list", "Changes reported")
        breadcrumbs.register_list("educators:cohort-list", "PEPS training")
        breadcrumbs.register_list("educators:criterion-list", "Selection criteria")
        breadcrumbs.register_list("educators:lapsing", "Lapsing and lapsed")
