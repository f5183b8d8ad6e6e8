"""One module per `pat` command. The core commands are added by `cli.main`; the others by
the default plugin `pat.commands` (`default_plugins/commands.py`), as a plugin adds its own.
Both are added as placeholders (`cli.lazy`), so only the command that runs is imported."""

from __future__ import annotations

from pat_framework.cli.lazy import LazyCommand

#: Each command as (name, its module:attribute here, its help's summary): the summary is
#: what `pat --help` lists without importing the module (a test compares it to the real one).
CORE = (
    ("instruments", "instruments:instruments", "List the instruments installed."),
    ("show", "show:show", "Print an instrument's statements, scales and guidance."),
    (
        "template",
        "template:template",
        "Write a blank wide sheet (one row per respondent) for typing in paper answers.",
    ),
    (
        "score",
        "score:score",
        "Score response files: totals, bands, aggregate and the group's scenario.",
    ),
    (
        "validate",
        "validate:validate",
        "Check an instrument file, or a response file against an instrument.",
    ),
    (
        "plugins",
        "plugins:list_plugins",
        "List installed plugins, their versions, hooks and what they registered.",
    ),
    (
        "schema",
        "schema:schema",
        "Print the path of the JSON Schema for instrument files, or copy it with -o.",
    ),
)

#: The workshop commands, added by the default plugin `pat.commands`.
WORKSHOP = (
    ("analyse", "analyse:analyse", "Analyse answers across respondents for a feedback workshop."),
    (
        "chart",
        "chart:chart",
        "Draw one chart of the answers and save it; the file's suffix picks the format.",
    ),
    (
        "report",
        "report:report",
        "Write a report for the feedback workshop: scenario, findings, charts and tables.",
    ),
    (
        "run",
        "run:run",
        "Run a workshop file: every instrument's answers analysed, one combined report.",
    ),
    (
        "form",
        "form:form",
        "Make a form for one respondent: an Excel form or a printable paper form.",
    ),
    (
        "collect",
        "collect:collect",
        "Merge returned Excel forms and response files into one response file.",
    ),
    (
        "take",
        "take:take",
        "Answer one or more instruments in the terminal, one statement at a time.",
    ),
    (
        "translate",
        "translate:translate",
        "Write the language file a translator fills in (--to LANG), or check one (--check FILE).",
    ),
    (
        "new",
        "new:new",
        "Start a new instrument (a TOML file) or a new plugin (a Python package).",
    ),
    (
        "import",
        "importing:import_",
        "Make an instrument file from a form written in another format.",
    ),
    ("export", "export:export", "Write an instrument in a format that another tool reads."),
    (
        "map",
        "map:map_",
        "Match the columns of a survey tool's export to the statements of an instrument.",
    ),
    ("serve", "serve:serve", "Let partners answer in a browser, on their phones or laptops."),
)


def placeholders(table: tuple[tuple[str, str, str], ...]) -> list[LazyCommand]:
    """A placeholder for each command of `table`."""
    return [LazyCommand(name, f"{__name__}.{target}", summary) for name, target, summary in table]
