"""Google Forms: "Download responses (.csv)" or the linked Google Sheet saved as CSV or
xlsx. One header row: Timestamp, Email Address when collected, then the question titles;
a grid question gives one column per row, titled `Question [Row]`."""

from __future__ import annotations

from pat_framework.importers.base import Column, Export, Role, Sheet, grid, unique_headers

#: "Timestamp" as Google writes it in the form owner's language.
TIMESTAMPS = {"timestamp", "marca temporal", "horodateur", "zeitstempel", "carimbo de data/hora"}
_ROLES: dict[str, Role] = {"email address": "personal", "score": "meta"}


class GoogleForms:
    name = "google-forms"
    title = "Google Forms"
    description = "CSV from Responses > Download responses: Timestamp, then the questions"

    def detect(self, sheet: Sheet) -> bool:
        first = sheet.row(1)
        return bool(first) and first[0].strip().lower() in TIMESTAMPS

    def read(self, sheet: Sheet) -> Export:
        columns = []
        for position, header in enumerate(unique_headers(sheet.row(1))):
            key = header.strip().lower()
            role: Role = "date" if position == 0 else _ROLES.get(key, "question")
            texts: tuple[str, ...] = (header,)
            if (parts := grid(header)) is not None:
                texts = (parts[1], header)
            columns.append(Column(position, header, (header,), texts, role))
        return Export(self.title, columns, sheet.data(1))
