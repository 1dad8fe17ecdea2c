"""Downloads of a collation, written by the reports framework's CSV and XLSX writers (so
formula-like cells are made literal, and the filters go with the file): the summary (one row per
question and answer) and the raw answers (one row per response and question, pseudonymised).

As with every report, a CSV starts with its header row and its notes (title, time, the filters
in force, description) are a CSV of their own, ``?download=notes-csv``; XLSX has them on its
"Notes" sheet. The questionnaire's collation page and the placements' evaluation page both
answer a download through :func:`download_response`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.text import slugify

from practica.accounts.models import AuthenticatedRequest
from practica.core import audit_log
from practica.core.models import AuditAction
from practica.questionnaires import selectors
from practica.questionnaires.models import Questionnaire, QuestionnaireVersion
from practica.reports import exports
from practica.reports.registry import Column, ExtraFilter, Report, ReportParams, ReportResult

# ?download=KEY: as the reports' pages
FORMATS = exports.DOWNLOADS


def _Download(  # noqa: N802
    title: str, description: str, columns: list[Column], shown: Sequence[tuple[str, str]] = ()
) -> Report:
    """A one-off report (not registered): the writers need a report's title and columns, and
    the filters in force (``shown``: label and value) go into the workbook's notes."""
    attributes = {
        "name": "questionnaire-download",
        "title": title,
        "description": description,
        "columns": columns,
        "filters": (),
        "extra_filters": [ExtraFilter(label, label, ()) for label, _value in shown],
    }
    report: Report = type("QuestionnaireDownload", (Report,), attributes)()
    return report


SUMMARY_COLUMNS = [
    Column("section", "Section"),
    Column("question", "Question"),
    Column("answered", "Answered", "integer"),
    Column("answer", "Answer"),
    Column("count", "Count", "integer"),
    Column("percent", "Percentage of those who answered", "percent"),
    Column("mean", "Mean", "number"),
    Column("median", "Median", "number"),
]
RAW_COLUMNS = [
    Column("respondent", "Respondent (pseudonym)"),
    Column("version", "Version"),
    Column("organisation", "Organisation"),
    Column("academic_year", "Academic year"),
    Column("section", "Section"),
    Column("question", "Question code"),
    Column("question_text", "Question"),
    Column("answer", "Answer"),
]


def summary_rows(collation: selectors.Collation) -> list[dict[str, Any]]:
    if collation.suppressed:
        return [{"section": "", "question": collation.small_number_message}]
    rows: list[dict[str, Any]] = []
    for summary in collation.questions:
        base = {
            "section": summary.question.section.title,
            "question": summary.question.text,
            "answered": summary.answered,
        }
        if summary.mean is not None:
            rows.append({**base, "answer": "(all)", "mean": summary.mean, "median": summary.median})
        for option in summary.options:
            rows.append(
                {**base, "answer": option.label, "count": option.count, "percent": option.percent}
            )
        for text in summary.texts:
            rows.append({**base, "answer": text})
        if not (summary.options or summary.texts or summary.mean is not None):
            rows.append(base)
    return rows


def download(
    questionnaire: Questionnaire,
    version: QuestionnaireVersion,
    filters: selectors.ResponseFilters,
    *,
    raw: bool,
    shown_filters: Sequence[tuple[str, str]] = (),
) -> ReportResult:
    """What the file holds, for the reports' writers. ``shown_filters``: the filters in force,
    as (label, value), written with the file so that it says which answers it holds."""
    if raw:
        rows: list[dict[str, Any]] = selectors.raw_rows(version, filters) or [
            {"respondent": f"fewer than {selectors.min_respondents()} responses"}
        ]
        report = _Download(
            f"{questionnaire.name}, version {version.number}: answers",
            "Every answer, one row per response and question; respondents are shown by a "
            "pseudonym that changes from one download to the next.",
            RAW_COLUMNS,
            shown_filters,
        )
    else:
        rows = summary_rows(selectors.collate(version, filters))
        report = _Download(
            f"{questionnaire.name}, version {version.number}: summary",
            "Per question: how many answered, each answer's count and percentage of those who "
            "answered, mean and median for scales and numbers, and free-text answers.",
            SUMMARY_COLUMNS,
            shown_filters,
        )
    params = ReportParams(extra=dict(shown_filters))
    return ReportResult(report, params, rows, {})


def download_response(
    request: AuthenticatedRequest,
    version: QuestionnaireVersion,
    filters: selectors.ResponseFilters,
    *,
    raw: bool,
    file_format: str,
    shown_filters: Sequence[tuple[str, str]],
    name: str,
) -> StreamingHttpResponse:
    """The download as an attachment named ``name`` (then "answers" or "summary"), recorded
    in the audit log (the filters by name only)."""
    questionnaire = version.questionnaire
    result = download(questionnaire, version, filters, raw=raw, shown_filters=shown_filters)
    used = (
        "; filtered by " + ", ".join(label for label, _v in shown_filters) if shown_filters else ""
    )
    audit_log.record(
        user=request.user,
        action=AuditAction.EXPORT,
        what=f"Answers to questionnaire #{questionnaire.pk}, version {version.number} "
        f"({'each answer' if raw else 'summary'}, {file_format}{used})",
        request=request,
    )
    return exports.attachment(
        result, file_format, slugify(f"{name}-{'answers' if raw else 'summary'}")
    )
