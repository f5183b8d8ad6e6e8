"""Columns of an export matched to what pat reads: an item by its id, group path, statement
text or a grid's row text (normalised), or by the closest text above a stated similarity;
respondent attributes; and the columns that identify people, left out."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from pat_framework.importers.base import Column, Export
from pat_framework.model import Instrument
from pat_framework.responses import COMMENT_SUFFIX, RESPONDENT

#: A column whose text is at least this similar to a statement is taken as that statement,
#: with a note; below it, down to SUGGEST, the match is only suggested (`pat map`).
ACCEPT = 0.9
SUGGEST = 0.6
#: The attribute an imported timestamp becomes: the day only, and not `date`, which pat
#: would take as the round (each day its own round).
SUBMITTED = "submitted"

Kind = Literal[
    "item",
    "comment",
    "attribute",
    "respondent",
    "submitted",
    "personal",
    "meta",
    "unsure",
    "unmatched",
]


@dataclass(frozen=True)
class Match:
    """What one column of an export is taken as."""

    column: Column
    kind: Kind
    target: str = ""  # item id, attribute name, or the suggested item when unsure
    confidence: float = 1.0
    how: str = ""

    @property
    def used(self) -> bool:
        return self.kind in ("item", "comment", "attribute", "respondent", "submitted")


_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"'})
_TAGS = re.compile(r"<[^>]+>")
_LEADING_NUMBER = re.compile(r"^\s*(?:q(?:uestion)?\s*)?\d+[a-z]?\s*[.):\-]\s+")
_TRAILING_NUMBER = re.compile(r"(?:\s+\(\d+\)|\.\d+)$")
_PUNCTUATION = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")

_ATTRIBUTE_WORDS = {
    "level": "level",
    "organisation": "organisation",
    "organization": "organisation",
    "agency": "organisation",
    "org": "organisation",
    "round": "round",
    "wave": "round",
}
_RESPONDENT_NAMES = {"respondent", "respondent id", "respondent code", "respondent_id"}
_PERSONAL = re.compile(
    r"\b(e ?mail|name|names|surname|first name|last name|full name|ip|ip address|phone|"
    r"telephone|mobile|postcode|zip code|address)\b"
)


def normalise(text: str) -> str:
    """Text as compared: no HTML, numbering, quotes style, case, punctuation or extra space."""
    text = html.unescape(_TAGS.sub(" ", text))
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold().strip()
    text = _LEADING_NUMBER.sub("", text)
    text = _TRAILING_NUMBER.sub("", text.rstrip("* "))
    return _SPACE.sub(" ", _PUNCTUATION.sub(" ", text)).strip()


def match_columns(instrument: Instrument, export: Export) -> list[Match]:
    """A match for every column of the export (see `Match.kind`)."""
    items = {i.lower(): i for i in instrument.item_ids}
    texts = {i.id: normalise(i.text) for i in instrument.items}
    found: dict[int, Match] = {}
    claimed: dict[str, int] = {}
    for column in export.columns:
        match = _exact(column, items, texts)
        if match.kind in ("item", "comment"):
            key = match.target + (COMMENT_SUFFIX if match.kind == "comment" else "")
            first = claimed.get(key)
            if first is not None:  # a second column for one item: never silently dropped
                match = Match(
                    column,
                    "unsure",
                    match.target,
                    match.confidence,
                    f"repeats column '{found[first].column.header}'",
                )
            else:
                claimed[key] = column.position
        found[column.position] = match
    _similar(found, claimed, texts)
    _respondent(found)
    return [found[c.position] for c in export.columns]


def _exact(column: Column, items: dict[str, str], texts: dict[str, str]) -> Match:
    if column.role == "respondent":
        return Match(column, "respondent", RESPONDENT, how="the tool's response id")
    if column.role == "date":
        return Match(column, "submitted", SUBMITTED, how="the time the answers were sent")
    if column.role in ("personal", "meta"):
        return Match(column, column.role)
    for name in column.names:
        key = name.strip().lower()
        if key in items:
            return Match(column, "item", items[key], how="item id")
        if key.endswith(COMMENT_SUFFIX) and key[: -len(COMMENT_SUFFIX)] in items:
            return Match(column, "comment", items[key[: -len(COMMENT_SUFFIX)]], how="item id")
        if key in _RESPONDENT_NAMES:
            return Match(column, "respondent", RESPONDENT, how="respondent code")
    wanted = [normalise(t) for t in column.texts]
    for text in wanted:  # the label `pat export xlsform` gives a comment question
        if text.startswith("comment on ") and text[11:] in items:
            return Match(column, "comment", items[text[11:]], how="item id")
    for text in wanted:
        for item_id, statement in texts.items():
            if text == statement:
                return Match(column, "item", item_id, how="statement text")
    for text in wanted:
        for item_id, statement in texts.items():
            if len(statement) >= 20 and text.endswith(" " + statement):
                return Match(column, "item", item_id, how="statement text")
    words = set(" ".join(normalise(n) for n in (*column.names, *column.texts)).split())
    for word, attribute in _ATTRIBUTE_WORDS.items():
        if word in words:
            return Match(column, "attribute", attribute, how="respondent attribute")
    if any(_PERSONAL.search(normalise(t)) for t in (*column.names, *column.texts)):
        return Match(column, "personal", how="looks like personal data")
    return Match(column, "unmatched")


def similarity(text: str, statement: str) -> float:
    """How alike two normalised texts are (0 to 1); a longer text is also compared by its end,
    where a tool puts a grid row after the question."""
    ratio = SequenceMatcher(None, text, statement, autojunk=False).ratio()
    if len(text) > len(statement):
        tail = text[-len(statement) :]
        ratio = max(ratio, SequenceMatcher(None, tail, statement, autojunk=False).ratio())
    return ratio


def _similar(found: dict[int, Match], claimed: dict[str, int], texts: dict[str, str]) -> None:
    """Columns left over matched to the statements left over, closest pairs first."""
    open_items = {i: t for i, t in texts.items() if i not in claimed}
    candidates = []
    for position, match in found.items():
        if match.kind != "unmatched" or not match.column.texts:
            continue
        for text in {normalise(t) for t in match.column.texts}:
            for item_id, statement in open_items.items():
                score = similarity(text, statement)
                if score >= SUGGEST:
                    candidates.append((score, position, item_id))
    done: set[int] = set()
    for score, position, item_id in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if position in done or item_id in claimed:
            continue
        column = found[position].column
        kind: Kind = "item" if score >= ACCEPT else "unsure"
        found[position] = Match(column, kind, item_id, round(score, 2), "similar text")
        done.add(position)
        if kind == "item":
            claimed[item_id] = position


def _respondent(found: dict[int, Match]) -> None:
    """A respondent code asked in the survey wins over the tool's response id."""
    asked = [p for p, m in found.items() if m.kind == "respondent" and m.how == "respondent code"]
    if not asked:
        return
    for position, match in found.items():
        if match.kind == "respondent" and position != asked[0]:
            found[position] = Match(match.column, "meta", how="the tool's response id")
