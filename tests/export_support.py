"""Exports laid out as each survey tool documents them, built from answers to an instrument.

Each builder writes the file a tool's default export gives for a form that asks an
organisation, a level, and the instrument's statements (grouped by section where the tool
groups), and returns its path. `answers` maps a response id to {item id: option label};
a missing item is a blank answer.

The layouts, as documented by each tool:
- Microsoft Forms (Open in Excel): ID, Start time, Completion time, Email, Name, Last
  modified time, then one column per question, a Likert question one per statement.
- Google Forms (Download responses): Timestamp, Email Address, the questions; a grid's rows
  as `Question [Row]`.
- SurveyMonkey (all individual responses): two header rows, Respondent ID, Collector ID,
  Start Date, End Date, IP Address, Email Address, First Name, Last Name, Custom Data 1;
  a matrix's text over its first column, its rows in the second header row.
- Qualtrics (Export data, CSV): three header rows: field ids, question text
  (`Question - Statement` for a matrix), import ids as JSON.
- LimeSurvey (Export responses): id, submitdate, lastpage, startlanguage, seed, ipaddr (when
  the survey records IP addresses), then codes
  `Q[SQ]`, or with full headings Response ID, Date submitted, … and `Question [Subquestion]`.
- KoboToolbox (Downloads, CSV): `;` separated, `group/name` headers (XML values) or labels,
  then _id, _uuid, _submission_time, _validation_status, _notes, _status, _submitted_by,
  __version__, _tags, _index.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook

from pat_framework.model import Instrument

Answers = Mapping[str, Mapping[str, str]]
ORGANISATIONS = ("Anytown Council", "Anytown Health Trust", "Voluntary Action Anytown")
LEVELS = ("Board", "Operational")
ORGANISATION_QUESTION = "Which organisation do you represent?"
LEVEL_QUESTION = "Your level"


def random_answers(instrument: Instrument, n: int, seed: int = 7) -> dict[str, dict[str, str]]:
    """n respondents' labels for every statement, with an organisation and a level."""
    rng = random.Random(seed)
    out: dict[str, dict[str, str]] = {}
    for k in range(n):
        row = {i.id: rng.choice([o.label for o in i.scale.scoring]) for i in instrument.items}
        row["organisation"] = ORGANISATIONS[k % len(ORGANISATIONS)]
        row["level"] = LEVELS[k % len(LEVELS)]
        out[f"{1001 + k}"] = row
    return out


def pat_layout(path: Path, instrument: Instrument, answers: Answers) -> Path:
    """The same answers in pat's own layout, to compare scores with."""
    header = ["respondent", "organisation", "level", *instrument.item_ids]
    rows = [[rid, a["organisation"], a["level"], *(a.get(i, "") for i in instrument.item_ids)]
            for rid, a in answers.items()]  # fmt: skip
    return _csv(path, [header, *rows])


def _csv(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _write(path: Path, rows: list[list[str]], **text: str) -> Path:
    return _xlsx(path, rows) if path.suffix == ".xlsx" else _csv(path, rows, **text)


def _value(answer: Mapping[str, str], item_id: str) -> str:
    return answer.get(item_id, "")


def msforms(path: Path, instrument: Instrument, answers: Answers) -> Path:
    meta = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    header = [*meta, ORGANISATION_QUESTION, LEVEL_QUESTION, *(i.text for i in instrument.items)]
    rows = [
        [str(k), "11/20/26 10:01:02", "11/20/26 10:14:40", f"p{k}@anytown.gov.uk", f"Person {k}",
         "", a["organisation"], a["level"], *(_value(a, i) for i in instrument.item_ids)]
        for k, a in enumerate(answers.values(), 1)
    ]  # fmt: skip
    return _write(path, [header, *rows])


def googleforms(path: Path, instrument: Instrument, answers: Answers, grids: bool = True) -> Path:
    titles = {s.id: s.title for s in instrument.sections}
    questions = [f"{titles[i.section_id]} [{i.text}]" if grids else i.text
                 for i in instrument.items]  # fmt: skip
    header = ["Timestamp", "Email Address", ORGANISATION_QUESTION, LEVEL_QUESTION, *questions]
    rows = [
        [f"2026/11/{10 + k % 9} 9:0{k % 10}:11 AM GMT", f"p{k}@anytown.gov.uk",
         a["organisation"], a["level"], *(_value(a, i) for i in instrument.item_ids)]
        for k, a in enumerate(answers.values(), 1)
    ]  # fmt: skip
    return _write(path, [header, *rows])


SURVEYMONKEY_META = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
                     "Email Address", "First Name", "Last Name", "Custom Data 1"]  # fmt: skip


def surveymonkey(path: Path, instrument: Instrument, answers: Answers) -> Path:
    first = [*SURVEYMONKEY_META, ORGANISATION_QUESTION, LEVEL_QUESTION]
    second = [""] * len(SURVEYMONKEY_META) + ["Response", "Response"]
    for section in instrument.sections:
        for k, item in enumerate(section.items):
            first.append(section.title if k == 0 else "")
            second.append(item.text)
    rows = [
        [rid, "431234567", "11/20/2026 10:01:02 AM", "11/20/2026 10:14:40 AM", "192.0.2.7",
         f"{rid}@anytown.gov.uk", "Sam", "Jones", "", a["organisation"], a["level"],
         *(_value(a, i.id) for s in instrument.sections for i in s.items)]
        for rid, a in answers.items()
    ]  # fmt: skip
    return _write(path, [first, second, *rows])


QUALTRICS_META = ["StartDate", "EndDate", "Status", "IPAddress", "Progress",
                  "Duration (in seconds)", "Finished", "RecordedDate", "ResponseId",
                  "RecipientLastName", "RecipientFirstName", "RecipientEmail",
                  "ExternalReference", "LocationLatitude", "LocationLongitude",
                  "DistributionChannel", "UserLanguage"]  # fmt: skip


def qualtrics(path: Path, instrument: Instrument, answers: Answers, delimiter: str = ",") -> Path:
    ids = [*QUALTRICS_META, "Q1", "Q2"]
    texts = [*(m if m != "ResponseId" else "Response ID" for m in QUALTRICS_META),
             ORGANISATION_QUESTION, LEVEL_QUESTION]  # fmt: skip
    imports = [json.dumps({"ImportId": m[0].lower() + m[1:]}) for m in QUALTRICS_META]
    imports += [json.dumps({"ImportId": "QID1"}), json.dumps({"ImportId": "QID2"})]
    order = []
    for q, section in enumerate(instrument.sections, 3):
        for k, item in enumerate(section.items, 1):
            ids.append(f"Q{q}_{k}")
            texts.append(f"{section.title} - {item.text}")
            imports.append(json.dumps({"ImportId": f"QID{q}_{k}"}))
            order.append(item.id)
    rows = [
        ["2026-11-20 10:01:02", "2026-11-20 10:14:40", "IP Address", "192.0.2.7", "100", "818",
         "True", "2026-11-20 10:14:41", f"R_{rid}", "Jones", "Sam", f"{rid}@anytown.gov.uk", "",
         "51.5", "-0.1", "anonymous", "EN", a["organisation"], a["level"],
         *(_value(a, i) for i in order)]
        for rid, a in answers.items()
    ]  # fmt: skip
    return _write(path, [ids, texts, imports, *rows], delimiter=delimiter)


def limesurvey(path: Path, instrument: Instrument, answers: Answers, codes: bool = True) -> Path:
    if codes:
        meta = ["id", "submitdate", "lastpage", "startlanguage", "seed", "ipaddr", "ORG", "LEVEL"]
        questions = [f"{i.section_id}[{i.id}]" for i in instrument.items]
    else:
        meta = ["Response ID", "Date submitted", "Last page", "Start language", "Seed",
                "IP address", ORGANISATION_QUESTION, LEVEL_QUESTION]  # fmt: skip
        titles = {s.id: s.title for s in instrument.sections}
        questions = [f"{titles[i.section_id]} [{i.text}]" for i in instrument.items]
    rows = [
        [rid, "2026-11-20 10:14:40", "7", "en", "123456", "192.0.2.7", a["organisation"],
         a["level"], *(_value(a, i) for i in instrument.item_ids)]
        for rid, a in answers.items()
    ]  # fmt: skip
    return _write(path, [[*meta, *questions], *rows])


KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
             "_submitted_by", "__version__", "_tags", "_index"]  # fmt: skip


def kobo(
    path: Path,
    instrument: Instrument,
    answers: Answers,
    *,
    labels: bool = False,
    groups: bool = True,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> Path:
    """Kobo's CSV: XML values and headers (choice names are the scale values, as in a form
    `pat export xlsform` wrote), or labels for both."""
    titles = {s.id: s.title for s in instrument.sections}
    questions = []
    for item in instrument.items:
        name = item.text if labels else item.id
        group = titles[item.section_id] if labels else item.section_id
        questions.append(f"{group}/{name}" if groups else name)
    organisation, level = (
        (ORGANISATION_QUESTION, LEVEL_QUESTION) if labels else ("organisation", "level")
    )
    header = ["start", "end", organisation, level, *questions, *KOBO_META]
    values = {o.label: _number(o.value) for i in instrument.items for o in i.scale.scoring}
    rows = []
    for k, (rid, a) in enumerate(answers.items(), 1):
        cells = [a.get(i, "") for i in instrument.item_ids]
        if not labels:
            cells = [values.get(c, c) for c in cells]
        rows.append([
            "2026-11-20T10:01:02.000+00:00", "2026-11-20T10:14:40.000+00:00", a["organisation"],
            a["level"], *cells, rid, f"0b5e-{rid}", "2026-11-20T10:14:45", "", "",
            "submitted_via_web", "field.officer", "vQ2w", "", str(k),
        ])  # fmt: skip
    return _write(path, [header, *rows], delimiter=delimiter, encoding=encoding)


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


BUILDERS = {
    "msforms": msforms,
    "google-forms": googleforms,
    "surveymonkey": surveymonkey,
    "qualtrics": qualtrics,
    "limesurvey": limesurvey,
    "kobo": kobo,
}
