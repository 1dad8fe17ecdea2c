"""Colours of the stage and currency tags (colour is never the only signal: tags carry text)."""

from __future__ import annotations

from django import template

register = template.Library()

STAGE_TAGS = {
    "stage2": "govuk-tag--green",
    "stage1": "govuk-tag--turquoise",
    "stage2_training": "govuk-tag--blue",
    "stage1_training": "govuk-tag--light-blue",
    "none": "govuk-tag--grey",
}
CURRENCY_TAGS = {
    "current": "govuk-tag--green",
    "lapsing": "govuk-tag--yellow",
    "lapsed": "govuk-tag--red",
    "not_qualified": "govuk-tag--grey",
}


@register.filter
def stage_tag(stage: str) -> str:
    return STAGE_TAGS.get(stage, "govuk-tag--grey")


@register.filter
def currency_tag(status: str) -> str:
    return CURRENCY_TAGS.get(status, "govuk-tag--grey")
