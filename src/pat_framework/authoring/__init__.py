"""Writing new instruments and plugins: skeletons, XLSForm import, TOML text."""
