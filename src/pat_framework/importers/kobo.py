"""KoboToolbox and ODK: Kobo's Data > Downloads (CSV, `;` by default, or XLS) with XML
values or labels as headers, with or without group names (`group/name`); ODK Central's CSV,
whose group separator is `-`. The tool's own columns start with `_` (`_id`, `_uuid`,
`_submission_time`) or are the form's metadata (`start`, `end`, `deviceid`)."""

from __future__ import annotations

from pat_framework.importers.base import Column, Export, Role, Sheet, unique_headers

_ROLES: dict[str, Role] = {
    "_id": "respondent",
    "key": "respondent",
    "_submission_time": "date",
    "submissiondate": "date",
    "_submitted_by": "personal",
    "submittername": "personal",
    "submitterid": "personal",
    "username": "personal",
    "phonenumber": "personal",
    "deviceid": "personal",
    "simserial": "personal",
    "subscriberid": "personal",
    "email": "personal",
    "_geolocation": "personal",
}
_META = {
    "start",
    "end",
    "today",
    "audit",
    "__version__",
    "formhub/uuid",
    "meta/instanceid",
    "meta-instanceid",
    "meta/instancename",
    "meta/rootuuid",
    "meta/deprecatedid",
    "instanceid",
    "attachmentspresent",
    "attachmentsexpected",
    "status",
    "reviewstate",
    "edits",
    "formversion",
}


class Kobo:
    name = "kobo"
    title = "KoboToolbox / ODK"
    description = "CSV or XLSX from KoboToolbox or ODK Central, names or labels as headers"

    def detect(self, sheet: Sheet) -> bool:
        first = {h.strip().lower() for h in sheet.row(1)}
        return bool({"_uuid", "_submission_time"} & first) or {"key", "submissiondate"} <= first

    def read(self, sheet: Sheet) -> Export:
        headers = sheet.row(1)
        central = "submissiondate" in {h.strip().lower() for h in headers}
        separator = "-" if central else "/"
        columns = []
        for position, header in enumerate(unique_headers(headers)):
            key = header.strip().lower()
            role = _ROLES.get(key)
            if role is None and (key in _META or key.startswith("_")):
                role = "meta"
            leaf = header.rsplit(separator, 1)[-1].strip()
            names = tuple(dict.fromkeys((leaf, header)))
            columns.append(Column(position, header, names, names, role or "question"))
        return Export(self.title, columns, sheet.data(1))
