"""The third-party path end to end: examples/pat-example-plugin installed with pip from its
own folder, found through its entry point and run through `pat` in a fresh process."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from plugin_support import clean_env, copy_package, pip_install, run

#: Every test here installs a package with pip or runs pat in fresh processes.
pytestmark = pytest.mark.slow

EXAMPLE = ROOT / "examples" / "pat-example-plugin"
SAMPLE = EXAMPLE / "sample-answers.csv"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(site folder the plugin is installed in, the copy it was built from)."""
    work = tmp_path_factory.mktemp("external")
    package = copy_package(EXAMPLE, work)
    site = work / "site"
    pip_install(package, site)
    return site, package


def test_pip_installs_the_package_with_its_instrument_and_entry_point(
    installed: tuple[Path, Path],
) -> None:
    site, _ = installed
    module = site / "pat_example_plugin"
    assert (module / "partnership-pulse.toml").is_file()
    entry_points = (site / "pat_example_plugin-0.1.0.dist-info" / "entry_points.txt").read_text()
    assert "[pat_framework]\npat_example_plugin = pat_example_plugin" in entry_points


def test_pat_plugins_lists_it_with_its_distribution_and_version(
    installed: tuple[Path, Path],
) -> None:
    result = run(installed[0], "plugins")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    at = lines.index("pat_example_plugin (pat-example-plugin 0.1.0)")
    assert lines[at + 1] == "  hooks: register_instruments, register_renderers, register_scorers"
    assert lines[at + 2] == (
        "  provides: instrument partnership-pulse, renderer scores/markdown, scorer mean"
    )
    assert not [line for line in lines if line.startswith("problem:")]


def test_its_instrument_validates_and_is_listed(installed: tuple[Path, Path]) -> None:
    site, _ = installed
    listing = run(site, "instruments")
    assert "partnership-pulse " in listing.stdout
    assert "(10 items; from pat_example_plugin)" in listing.stdout
    checked = run(site, "validate", site / "pat_example_plugin" / "partnership-pulse.toml")
    assert checked.returncode == 0, checked.stderr
    assert "instrument 'partnership-pulse', 2 sections, 10 items" in checked.stdout


def test_its_scorer_scores_the_mean_answer(installed: tuple[Path, Path]) -> None:
    result = run(installed[0], "score", "partnership-pulse", SAMPLE, "-f", "csv")
    assert result.returncode == 0, result.stderr
    rows = {r["respondent"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    # R01: SA A A -> (4+3+3)/3; A SA A A D A A -> 21/7 = 3; aggregate (10/3 + 3)/2.
    assert float(rows["R01"]["principles"]) == pytest.approx(10 / 3, abs=0.005)
    assert rows["R01"]["ingredients"] == "3"
    assert float(rows["R01"]["aggregate"]) == pytest.approx((10 / 3 + 3) / 2, abs=0.005)
    # R04 left Q6 blank: the mean of the six answered ingredients, A D D SD D D = 12/6.
    assert rows["R04"]["ingredients"] == "2"
    assert rows["R04"]["organisation"] == "Health trust"


def test_its_renderer_writes_the_scores_as_markdown(installed: tuple[Path, Path]) -> None:
    site, _ = installed
    result = run(site, "score", "partnership-pulse", SAMPLE, "-f", "markdown")
    assert result.returncode == 0, result.stderr
    # The table the example's README shows.
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    shown = readme.split("The Markdown for the five", 1)[1].split("```")[1].strip().splitlines()
    assert len(shown) == 4
    for line in shown:
        assert line in result.stdout.splitlines()
    assert "| R04 | Health trust | front line | 2.33 | 2\\* | 2.17 | Weak |" in result.stdout


def test_its_renderer_works_for_a_bundled_instrument_and_an_output_file(
    installed: tuple[Path, Path], tmp_path: Path
) -> None:
    out = tmp_path / "odpm.md"
    sample = ROOT / "examples" / "responses" / "odpm-sample.csv"
    result = run(installed[0], "score", "pat-odpm", sample, "-o", out)
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Partnership Assessment Tool\n")
    assert "| P1 Recognise and accept the need for partnership | 20 | 19–24 |" in text


def test_the_console_script_finds_it_too(installed: tuple[Path, Path]) -> None:
    script = Path(sys.executable).with_name("pat")
    if not script.is_file():
        pytest.skip("no `pat` console script beside this Python")
    result = subprocess.run(
        [str(script), "score", "partnership-pulse", str(SAMPLE), "-f", "markdown"],
        capture_output=True,
        text=True,
        env=clean_env(installed[0]),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Partnership pulse\n")


def test_without_it_on_the_path_pat_knows_none_of_it(installed: tuple[Path, Path]) -> None:
    result = run(installed[0].parent / "not-there", "score", "partnership-pulse", SAMPLE)
    assert result.returncode == 1
    assert "no instrument 'partnership-pulse' is installed" in result.stderr


def test_the_packages_own_tests_pass_against_the_installed_copy(
    installed: tuple[Path, Path],
) -> None:

    site, package = installed
    shutil.rmtree(package / "src")  # the tests must use what pip installed
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        env=clean_env(site),
        cwd=package,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout.splitlines()[-1]
    assert "failed" not in result.stdout.splitlines()[-1]
