"""One module per `pat` command. The core commands are added by `cli.main`; the others by
the default plugin `pat.commands` (`default_plugins/commands.py`), as a plugin adds its own."""
