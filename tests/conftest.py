"""The suite's fixtures live in support.py (a module with a name of its own, so tests can import its helpers with
`from support import git` even where a sub-folder has a conftest.py of its own) and in sound_server.py (the
PulseAudio server for audio tests) and service_fixtures.py (a running `git voice serve` for tests/service)."""

pytest_plugins = ["support", "sound_server", "service_fixtures"]
