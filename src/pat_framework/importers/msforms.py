"""Microsoft Forms: "Open in Excel" (xlsx) or a CSV of it. One header row: ID, Start time,
Completion time, Email, Name (Last modified time in newer forms), then one column per
question; a Likert question gives one column per statement."""

from __future__ import annotations

from pat_framework.importers.base import Column, Export, Role, Sheet, unique_headers

_ROLES: dict[str, Role] = {
    "id": "respondent",
    "start time": "meta",
    "completion time": "date",
    "last modified time": "meta",
    "email": "personal",
    "name": "personal",
    "total points": "meta",
    "quiz feedback": "meta",
    "grade posted time": "meta",
}


class MicrosoftForms:
    name = "msforms"
    title = "Microsoft Forms"
    description = "Excel or CSV from Responses > Open in Excel: ID, Start time, Completion time …"

    def detect(self, sheet: Sheet) -> bool:
        first = {h.strip().lower() for h in sheet.row(1)}
        return {"id", "start time", "completion time"} <= first

    def read(self, sheet: Sheet) -> Export:
        columns = []
        for position, header in enumerate(unique_headers(sheet.row(1))):
            key = header.strip().lower()
            role = _ROLES.get(key)
            if role is None and key.startswith(("points - ", "feedback - ")):
                role = "meta"  # a quiz's marks
            columns.append(Column(position, header, (header,), (header,), role or "question"))
        return Export(self.title, columns, sheet.data(1))
