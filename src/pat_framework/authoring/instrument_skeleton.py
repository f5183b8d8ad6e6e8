"""The commented instrument file `pat new instrument NAME` writes: valid as it is, easy to edit."""

from __future__ import annotations

from pat_framework.authoring.toml_text import schema_comment, toml_string

SKELETON = """\
{schema}
#
# {title}: an instrument for pat (https://toml.io format; docs/instrument-format.md
# explains every setting).
#
# How to edit this file:
#   - Lines starting with # are comments: pat ignores them. Delete them when you like.
#   - Each setting is written  name = value.  Text goes in double quotes ("like this"),
#     numbers and true/false do not.
#   - A block that can repeat (a section, an item, an answer, a band) starts with a header
#     in double brackets, such as [[sections]]. Copy a whole block to add another one.
#   - After each change, check the file:   pat validate {file}
#     Every mistake is listed with its line number and what to write instead.

format = 1                 # the version of this file format; leave it at 1
id = {id}  # the short name you type in commands: pat score {id} ...
title = {title_toml}
version = "1.0"            # your own version of the instrument, as text
# In several languages? Add  languages = ["en", "cy"]  here (its own first), then see
# docs/languages.md and `pat translate`.
description = "One or two sentences saying what the instrument is for."
# The question put before every statement on forms:
question = "To what extent do you agree with each of the following statements?"
scorer = "sum"             # add up the answers of each section (`pat plugins` lists others)
interpreter = "bands"      # read each total against the bands below

# Where the statements come from. Shown in every report.
[source]
title = "Write the title of the document the statements come from"
authors = ["First Author", "Second Author"]
publisher = "Who published it"
year = 2026
licence = "Copyright or licence statement for the statements"

# ---------------------------------------------------------------------------
# Answer scales: the answers people can give. Give each scale a short name
# (here "agree4"); sections and items use a scale by that name.
# Each answer has a value (the score), a label (the words on the form) and,
# if you like, codes: other ways of typing it in an answer sheet ("SA").
# ---------------------------------------------------------------------------

[scales.agree4]
title = "Agreement"

[[scales.agree4.options]]
value = 4
label = "Strongly agree"
codes = ["SA"]

[[scales.agree4.options]]
value = 3
label = "Agree"
codes = ["A"]

[[scales.agree4.options]]
value = 2
label = "Disagree"
codes = ["D"]

[[scales.agree4.options]]
value = 1
label = "Strongly disagree"
codes = ["SD"]

# An answer that does not score: write `missing` instead of `value`
# ("dont_know" or "not_applicable"). It counts as unanswered.
[[scales.agree4.options]]
label = "Don't know"
codes = ["DK"]
missing = "dont_know"

# ---------------------------------------------------------------------------
# Sections: groups of statements scored together (principles, areas, checklists).
# Each section has an id (used as a column name in score tables), a title,
# the scale its statements use, its items (the statements) and its bands.
# ---------------------------------------------------------------------------

[[sections]]
id = "S1"
title = "Working together"
description = "A paragraph explaining what this section is about (optional)."
scale = "agree4"

# Each item is one statement. Its id is the column heading on answer sheets,
# so keep it short and different from every other item id (S1A, S1B, ...).
[[sections.items]]
id = "S1A"
text = "Partners meet often enough to do the work."
guidance = "A short note shown on forms to help people answer (optional)."

[[sections.items]]
id = "S1B"
text = "Meetings end with clear actions."

[[sections.items]]
id = "S1C"
text = "Partners do what they said they would do."
# reverse = true turns the scoring round, for a statement where agreeing is bad news.

# Bands turn a section's total into a sentence. Together they must cover every
# total the section can reach, with no gap and no overlap. Three statements
# scored 1 to 4 give totals from 3 to 12.
[[sections.bands]]
min = 10
max = 12
label = "Strong"
text = "Partners work well together."
rating = "green"           # green, amber or red (optional)

[[sections.bands]]
min = 7
max = 9
label = "Mixed"
text = "Some things work; talk about the rest."
rating = "amber"

[[sections.bands]]
min = 3
max = 6
label = "Weak"
text = "Working together needs attention now."
rating = "red"
concern = true             # a total here is a cause for concern

[[sections]]
id = "S2"
title = "Trust"
scale = "agree4"

[[sections.items]]
id = "S2A"
text = "Partners share information openly."

[[sections.items]]
id = "S2B"
text = "Partners trust each other to act in good faith."

[[sections.items]]
id = "S2C"
text = "Disagreements are settled fairly."

[[sections.bands]]
min = 10
max = 12
label = "Strong"
text = "Trust is high."
rating = "green"

[[sections.bands]]
min = 7
max = 9
label = "Mixed"
text = "Trust is growing but fragile."
rating = "amber"

[[sections.bands]]
min = 3
max = 6
label = "Weak"
text = "Low trust: a priority for the action plan."
rating = "red"
concern = true

# ---------------------------------------------------------------------------
# The aggregate: the total of all sections (here 6 to 24), with its own bands.
# Each band may lead to one of the scenarios below.
# ---------------------------------------------------------------------------

[aggregate]
title = "Overall"

[[aggregate.bands]]
min = 19
max = 24
label = "19–24"
text = "The partnership is in good health."
scenario = "A"

[[aggregate.bands]]
min = 13
max = 18
label = "13–18"
text = "The partnership works in parts."
scenario = "B"

[[aggregate.bands]]
min = 6
max = 12
label = "6–12"
text = "The partnership has serious problems."
scenario = "C"

# Scenarios: what the group should do next. The group's scenario is the one of
# the aggregate band that holds the middle (median) respondent's total.
[[scenarios]]
id = "A"
title = "Working well"
text = "Keep going and check again next year."

[[scenarios]]
id = "B"
title = "Working well in parts"
text = "Agree actions on the sections of concern."

[[scenarios]]
id = "C"
title = "Significant concerns"
text = "Make a detailed action plan now."

# To raise the group's scenario from A to B when any respondent gives a section a
# total in a band marked `concern = true`, remove the # from the next four lines.
# [escalation]
# from = "A"
# to = "B"
# reason = "Some partners see problems in some sections."

# Unanswered statements: a section with at most this many unanswered is
# prorated (the mean of the answers times the number of statements); with more
# it gets no score. A blank answer never counts as zero.
[missing]
max_missing = 1
"""


def skeleton(instrument_id: str, file_name: str) -> str:
    """The skeleton for `instrument_id`, which must be a valid id; `file_name` for the comments."""
    title = instrument_id.replace("-", " ").strip().capitalize() or instrument_id
    return SKELETON.format(
        schema="\n".join(schema_comment(file_name)),
        id=toml_string(instrument_id),
        title=title,
        title_toml=toml_string(title),
        file=file_name,
    )
