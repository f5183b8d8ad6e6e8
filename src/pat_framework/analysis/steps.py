"""A suggested first step for an action, in the instrument's own words where it has some.

A sentence of guidance is used only when it reads as something to do: it starts with a
verb of doing ("Consider whether …", "Agree …") or says what partners should do. Otherwise
the step names the first statement raised, so it never opens with an aside such as
"Besides these, the source names …".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pat_framework.catalogue import N_, gettext
from pat_framework.model import Section

#: Words that open an instruction ("Consider whether …"); English, as the instruments are.
DOING = frozenset({
    "agree", "ask", "assess", "build", "check", "clarify", "consider", "decide", "develop",
    "discuss", "ensure", "establish", "find", "identify", "involve", "keep", "look", "make",
    "plan", "review", "set", "share", "talk", "think",
})  # fmt: skip
_SHOULD = re.compile(r"\b(should|must|needs? to)\b", re.IGNORECASE)
#: Words that point back to an earlier sentence: the step then takes that sentence along.
_BACK = re.compile(r"\b(these|those|such|both|them|they|this|that|it)\b", re.IGNORECASE)
GENERIC = N_("Discuss what lies behind the scores and agree what would improve them.")


def sentences(text: str) -> list[str]:
    """The text's sentences, each ending with its full stop."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"'“‘])", " ".join(text.split()))
    return [p for p in parts if p]


def reads_as_step(sentence: str) -> bool:
    """Whether a sentence tells the reader what to do."""
    words = sentence.split()
    if not words or len(words) < 3:
        return False
    return words[0].lower().strip("'\"“‘") in DOING or bool(_SHOULD.search(sentence))


def _step_in(texts: Iterable[str]) -> str:
    """The first sentence that reads as a step, with those before it when it points back
    to them ("Consider whether every partner recognises these …")."""
    for text in texts:
        found = sentences(text)
        for k, sentence in enumerate(found):
            if reads_as_step(sentence):
                return " ".join(found[: k + 1]) if k and _BACK.search(sentence) else sentence
    return ""


def first_step(members: Sequence[tuple[Section, list[str], str]], subject: bool = False) -> str:
    """For each (section, statement ids raised in order, band text) in rank order:
    guidance on the statements raised, then (for a section's own action, not one on a
    `subject`) on the section's other statements, its band's advice and its description;
    failing all, a step naming the first statement raised."""
    items = {(s.id, i.id): i for s, _, _ in members for i in s.items}
    raised = [items[s.id, i] for s, ids, _ in members for i in ids if (s.id, i) in items]
    found = _step_in(i.guidance for i in raised)
    if not subject:
        found = found or (
            _step_in(i.guidance for s, ids, _ in members for i in s.items if i.id not in ids)
            or _step_in(band for _, _, band in members)
            or _step_in(s.description for s, _, _ in members)
        )
    if found:
        return found
    if raised:
        first = raised[0]
        return gettext(
            "Start with %(id)s (“%(statement)s”): ask partners what lies behind their answers "
            "and agree what would change them."
        ) % {"id": first.id, "statement": first.text.rstrip(".?")}
    return gettext(GENERIC)
