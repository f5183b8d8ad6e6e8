"""Instrument files: the loader, the TOML checker that workshop files share, the hints and
line numbers in its messages, syntax errors explained, and the JSON Schema."""
