"""SurveyMonkey: Analyze results > Save as > All individual responses, CSV or XLS. Two
header rows: the question text over the first of its columns, then `Response`,
`Open-Ended Response` or a matrix question's row text under each column."""

from __future__ import annotations

from pat_framework.importers.base import Column, Export, Role, Sheet, unique_headers

_ROLES: dict[str, Role] = {
    "respondent id": "respondent",
    "collector id": "meta",
    "start date": "meta",
    "end date": "date",
    "ip address": "personal",
    "email address": "personal",
    "first name": "personal",
    "last name": "personal",
}
_ONE_ANSWER = {"", "response", "open-ended response"}


class SurveyMonkey:
    name = "surveymonkey"
    title = "SurveyMonkey"
    description = "CSV or XLSX of all individual responses: two header rows"

    def detect(self, sheet: Sheet) -> bool:
        first = {h.strip().lower() for h in sheet.row(1)}
        return {"respondent id", "collector id"} <= first

    def read(self, sheet: Sheet) -> Export:
        questions, subs = sheet.row(1), sheet.row(2)
        filled, current = [], ""
        for text in questions:  # a question's text heads only the first of its columns
            current = text.strip() or current
            filled.append(current)
        headers = [
            q if s.strip().lower() in _ONE_ANSWER else f"{q} [{s.strip()}]"
            for q, s in zip(filled, subs, strict=False)
        ]
        columns = []
        for position, header in enumerate(unique_headers(headers)):
            question, sub = filled[position], subs[position].strip()
            role = _ROLES.get(question.lower())
            if role is None and question.lower().startswith("custom data"):
                role = "personal"  # what the collector passed in: often a name or email
            if sub.lower() == "other (please specify)":
                role = "meta"
            texts = (question,) if sub.lower() in _ONE_ANSWER else (sub, f"{question} {sub}")
            columns.append(Column(position, header, (header,), texts, role or "question"))
        return Export(self.title, columns, sheet.data(2))
