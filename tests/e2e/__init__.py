"""Browser tests of the built site (dist/web)."""
