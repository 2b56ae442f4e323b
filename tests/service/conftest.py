"""The fixtures of the service tests live in service_fixtures.py (a name of its own, importable from the tests)."""

pytest_plugins = ["service_fixtures"]
