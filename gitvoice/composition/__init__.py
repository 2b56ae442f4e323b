"""Conventional Commits: the message model, validation, and composing a message from speech and a diff.

Everything here is pure: strings and dataclasses in and out, no files, no git, no model.
"""
