"""Alembic migrations of the `pat serve` database, run by `storage.Store.migrate`."""
