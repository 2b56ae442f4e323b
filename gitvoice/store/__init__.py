"""Recordings kept until the user is done with them, and their history (SQLite)."""
