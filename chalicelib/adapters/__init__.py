"""Adapters: the only code that touches SQLite, AWS, files and image libraries."""
