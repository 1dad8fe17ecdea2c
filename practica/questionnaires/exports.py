"""Downloads of a collation, written by the reports framework's CSV and XLSX writers (so
formula-like cells are made literal, and the filters go with the file): the summary (one row per
question and answer) and the raw answers (one row per response and question, pseudonymised)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from practica.questionnaires import selectors
from practica.questionnaires.models import Questionnaire, QuestionnaireVersion
from practica.reports import exports
from practica.reports.registry import Column, ExtraFilter, Report, ReportParams, ReportResult

FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
}


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
    file_format: str,
    shown_filters: Sequence[tuple[str, str]] = (),
) -> tuple[bytes, str]:
    """The file's bytes and content type. ``shown_filters``: the filters in force, as (label,
    value), written with the file so that it says which answers it holds."""
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
    content_type, write = FORMATS[file_format]
    params = ReportParams(extra=dict(shown_filters))
    return write(ReportResult(report, params, rows, {})), content_type
