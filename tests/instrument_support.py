"""Helpers for the instrument tests: every bundled instrument file, and a small valid
instrument as TOML text to change one mistake at a time."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = sorted((ROOT / "plugins").rglob("*.toml"))

BASE = """\
format = 1
id = "team-health"
title = "Team health check"
version = "1.0"

[source]
title = "Our own questions"
year = 2026

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

[scales.yesno]
[[scales.yesno.options]]
value = 1
label = "Yes"
codes = ["Y"]
[[scales.yesno.options]]
value = 0
label = "No"
codes = ["N"]
[[scales.yesno.options]]
label = "Don't know"
missing = "dont_know"

[[sections]]
id = "T1"
title = "Working together"
scale = "agree4"
[[sections.items]]
id = "T1A"
element = "A"
text = "We meet often enough."
[[sections.items]]
id = "T1B"
element = "B"
text = "Meetings end with clear actions."
reverse = true
[[sections.bands]]
min = 5
max = 8
label = "Strong"
[[sections.bands]]
min = 2
max = 4
label = "Weak"
concern = true

[[sections]]
id = "T2"
title = "Trust"
scale = "agree4"
[[sections.items]]
id = "T2A"
text = "One."
[[sections.items]]
id = "T2B"
text = "Two."
[[sections.items]]
id = "T2C"
text = "Three."
[[sections.items]]
id = "T2D"
text = "Four."
[[sections.bands]]
min = 4
max = 10
label = "Low"
[[sections.bands]]
min = 11
max = 16
label = "High"

[aggregate]
[[aggregate.bands]]
min = 6
max = 15
label = "6–15"
scenario = "C"
[[aggregate.bands]]
min = 16
max = 24
label = "16–24"
scenario = "A"

[[scenarios]]
id = "A"
title = "Working well"
[[scenarios]]
id = "C"
title = "Concerns"
"""
