"""pat: assess partnerships with pluggable instruments."""

from pat_framework.hookspecs import hookimpl

__version__ = "0.1.0"
__all__ = ["__version__", "hookimpl"]
