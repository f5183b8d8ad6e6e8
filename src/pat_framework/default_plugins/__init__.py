"""pat's built-in behaviour, registered as plugins exactly as a third-party plugin would be.

One module per kind of thing registered; each holds only `@hookimpl` functions, which
import the code they register when they are called. Their stable plugin names (`pat.scorers`
and so on), which `pat plugins`, `PAT_LOAD_PLUGINS` and `PAT_BLOCK_PLUGINS` use, are listed
in `runtime.plugins.DEFAULT_PLUGINS`.
"""
