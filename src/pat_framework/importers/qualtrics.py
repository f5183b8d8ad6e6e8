"""Qualtrics: Data & Analysis > Export data > CSV or TSV. Three header rows: the field ids
(StartDate, ResponseId, Q1_1 …), the question text (`Question - Statement` for a matrix),
and the import ids as JSON (`{"ImportId":"QID1_1"}`)."""

from __future__ import annotations

import contextlib
import json

from pat_framework.importers.base import Column, Export, Role, Sheet, unique_headers

_ROLES: dict[str, Role] = {
    "responseid": "respondent",
    "recordeddate": "date",
    "ipaddress": "personal",
    "recipientlastname": "personal",
    "recipientfirstname": "personal",
    "recipientemail": "personal",
    "externalreference": "personal",
    "locationlatitude": "personal",
    "locationlongitude": "personal",
}
_META = {
    "startdate",
    "enddate",
    "status",
    "progress",
    "duration (in seconds)",
    "finished",
    "distributionchannel",
    "userlanguage",
}


class Qualtrics:
    name = "qualtrics"
    title = "Qualtrics"
    description = "CSV or TSV from Export data: field ids, question texts and import ids"

    def detect(self, sheet: Sheet) -> bool:
        first = {h.strip().lower() for h in sheet.row(1)}
        third = sheet.row(3)
        return "responseid" in first and any(c.startswith('{"ImportId"') for c in third)

    def read(self, sheet: Sheet) -> Export:
        ids, texts, imports = sheet.row(1), sheet.row(2), sheet.row(3)
        columns = []
        for position, header in enumerate(unique_headers(ids)):
            key = header.strip().lower()
            role = _ROLES.get(key) or ("meta" if key in _META or key.startswith("q_") else None)
            names = [header]
            with contextlib.suppress(ValueError, KeyError, TypeError, IndexError):
                names.append(str(json.loads(imports[position])["ImportId"]))
            text = texts[position] if position < len(texts) else ""
            candidates = [text]
            if " - " in text:  # a matrix: "Question - Statement"
                candidates += [text.split(" - ", 1)[1], text.rsplit(" - ", 1)[1]]
            columns.append(
                Column(
                    position,
                    header,
                    tuple(names),
                    tuple(dict.fromkeys(candidates)),
                    role or "question",
                )
            )
        return Export(self.title, columns, sheet.data(3))
