"""LimeSurvey: Responses > Export > CSV or Excel, with "question code" or "full question
text" headings. Codes are `Q1` or, for an array, `Q1[SQ001]` (a comment column adds
`[comment]`); full headings are the question text, an array's as `Question [Subquestion]`."""

from __future__ import annotations

import re

from pat_framework.importers.base import Column, Export, Role, Sheet, grid, unique_headers

_ROLES: dict[str, Role] = {
    "id": "respondent",
    "response id": "respondent",
    "submitdate": "date",
    "date submitted": "date",
    "ipaddr": "personal",
    "ip address": "personal",
    "token": "personal",
    "access code": "personal",
}
_META = {
    "lastpage",
    "last page",
    "startlanguage",
    "start language",
    "seed",
    "startdate",
    "date started",
    "datestamp",
    "date last action",
    "refurl",
    "referrer url",
    "interviewtime",
    "total time",
}
_CODE = re.compile(
    r"^(?P<q>[A-Za-z][A-Za-z0-9_]*)(?:\[(?P<sq>[A-Za-z0-9_]+)\])?(?P<comment>\[comment\])?$"
)


class LimeSurvey:
    name = "limesurvey"
    title = "LimeSurvey"
    description = "CSV or Excel from Responses > Export, headings as codes or full text"

    def detect(self, sheet: Sheet) -> bool:
        first = {h.strip().lower() for h in sheet.row(1)}
        return {"id", "submitdate"} <= first or {"response id", "date submitted"} <= first

    def read(self, sheet: Sheet) -> Export:
        columns = []
        for position, header in enumerate(unique_headers(sheet.row(1))):
            key = header.strip().lower()
            role = _ROLES.get(key) or (
                "meta" if key in _META or key.startswith("grouptime") else "question"
            )
            names: tuple[str, ...] = (header,)
            texts: tuple[str, ...] = (header,)
            if (code := _CODE.match(header.strip())) is not None:
                own = code["sq"] or code["q"]
                names = (f"{own}_comment",) if code["comment"] else (own, header)
                texts = ()
            elif (parts := grid(header)) is not None:
                texts = (parts[1], header)
            columns.append(Column(position, header, names, texts, role))
        return Export(self.title, columns, sheet.data(1))
