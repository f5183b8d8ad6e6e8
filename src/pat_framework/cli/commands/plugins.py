"""`pat plugins`: every plugin, where it comes from, its hooks and what it registered."""

from __future__ import annotations

import click

from pat_framework import __version__
from pat_framework.cli.context import registry


@click.command(name="plugins")
def list_plugins() -> None:
    """List installed plugins, their versions, hooks and what they registered."""
    from pat_framework.runtime import plugins

    reg = registry()
    provided: dict[str, list[str]] = {}
    for (kind, key), provider in sorted(reg.providers.items(), key=str):
        label = "/".join(key) if isinstance(key, tuple) else key
        provided.setdefault(provider, []).append(f"{kind} {label}")
    for name, plugin in plugins.pm.list_name_plugin():
        if name in plugins.distributions:
            origin = " ".join(plugins.distributions[name])
        elif name in plugins.DEFAULT_PLUGINS:
            origin = f"pat-framework {__version__}"
        else:  # registered by code, as tests do
            origin = "not from an installed package"
        hooks = sorted(c.name for c in plugins.pm.get_hookcallers(plugin) or [])
        click.echo(f"{name} ({origin})")
        click.echo(f"  hooks: {', '.join(hooks) or 'none'}")
        if provided.get(name):
            click.echo(f"  provides: {', '.join(provided[name])}")
    for problem in reg.problems:
        click.echo(f"problem: {problem}")
