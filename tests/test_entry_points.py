"""The fast entry-point reader answers as importlib.metadata does, over real installs:
the venv's own packages, a wheel installed by pip, the egg-info folders setuptools writes
(`name.egg-info`, `name-1.0-py3.11.egg-info`), values with extras, shadowed duplicates."""

from __future__ import annotations

import importlib.metadata as metadata
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pat_framework.runtime.entry_points import EntryPoint, distribution_name, entry_points

GROUP = "pat_framework"
ORIGINAL_PATH = list(sys.path)


def expected(group: str, path: list[str]) -> set[tuple[str, str, str, str]]:
    """importlib.metadata's answer: the first distribution of each name on the path."""
    seen: set[str] = set()
    found: dict[str, tuple[str, str, str, str]] = {}
    for dist in metadata.distributions(path=path):
        name = distribution_name(dist.metadata["Name"])
        if name in seen:
            continue
        seen.add(name)
        for ep in dist.entry_points.select(group=group):
            found.setdefault(ep.name, (ep.name, ep.value, name, dist.version))
    return set(found.values())


def ours(group: str, path: list[str], monkeypatch: pytest.MonkeyPatch) -> set[tuple[str, ...]]:
    monkeypatch.setattr(sys, "path", path)
    return {(e.name, e.value, e.distribution, e.version) for e in entry_points(group)}


@pytest.mark.parametrize("group", [GROUP, "console_scripts", "pytest11"])
def test_the_same_answer_as_importlib_metadata_on_this_python(
    group: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = list(sys.path)
    want = expected(group, path)
    assert want, f"nothing in {group}: the comparison would prove nothing"
    assert ours(group, path, monkeypatch) == want


def _package(folder: Path, name: str, version: str, entry_points_txt: str) -> Path:
    """A source folder with a setuptools project and one module."""
    folder.mkdir(parents=True)
    module = name.replace("-", "_").replace(".", "_").lower()
    (folder / f"{module}.py").write_text("PLUGIN = 'loaded'\n", encoding="utf-8")
    (folder / "setup.py").write_text(
        textwrap.dedent(f"""\
            from setuptools import setup
            setup(name={name!r}, version={version!r}, py_modules=[{module!r}],
                  entry_points={entry_points_txt!r})
        """),
        encoding="utf-8",
    )
    return folder


def _setup(folder: Path, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "setup.py", "-q", *args],
        cwd=folder, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_egg_info_folders_and_wheels_as_setuptools_and_pip_write_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `name.egg-info` beside the source, as a development checkout has it.
    dev = _package(tmp_path / "dev", "Dev.Plugin", "0.3", f"[{GROUP}]\ndev = dev_plugin\n")
    _setup(dev, "egg_info")
    # `name-1.0-py3.11.egg-info`, as `setup.py install` and distro packages write it.
    site = tmp_path / "site"
    site.mkdir()
    legacy = _package(
        tmp_path / "legacy",
        "legacy_plugin",
        "1.0",
        f"[{GROUP}]\nlegacy = legacy_plugin:PLUGIN [extra]\n# a comment\n",
    )
    _setup(legacy, "install_egg_info", "-d", str(site))
    # A wheel installed by pip, and a second copy of `legacy_plugin` later on the path.
    wheel = _package(tmp_path / "wheel", "wheel-plugin", "2.0", f"[{GROUP}]\nwhl = wheel_plugin\n")
    later = _package(tmp_path / "later", "legacy_plugin", "9.9", f"[{GROUP}]\nlegacy = nope\n")
    for source, target in ((wheel, site), (later, tmp_path / "later-site")):
        result = subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
             "--no-index", "--target", str(target), str(source)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in [*dev.glob("*.egg-info"), *site.glob("*-info")])
    assert "Dev.Plugin.egg-info" in names  # no version in the folder name
    assert f"legacy_plugin-1.0-py{sys.version_info[0]}.{sys.version_info[1]}.egg-info" in names
    path = [str(dev), str(site), str(tmp_path / "later-site")]
    got = ours(GROUP, path, monkeypatch)
    assert got == expected(GROUP, path)
    assert ("legacy", "legacy_plugin:PLUGIN [extra]", "legacy-plugin", "1.0") in got
    assert ("dev", "dev_plugin", "dev-plugin", "0.3") in got
    legacy_ep = next(e for e in entry_points(GROUP) if e.name == "legacy")
    monkeypatch.setattr(sys, "path", [str(legacy), *ORIGINAL_PATH])  # where its module is
    assert legacy_ep.load() == "loaded"  # the extras are not part of what is imported


def test_a_value_that_names_no_module_is_refused_when_loaded() -> None:
    with pytest.raises(ValueError, match="is not a module or module:attribute"):
        EntryPoint("bad", "not a module!", "bad", "1").load()
