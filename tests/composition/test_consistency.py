"""What was said against what changed: claims, names nowhere in the diff or repository, unmentioned changes."""

from __future__ import annotations

import time

import pytest

from gitvoice.composition.changes import ChangedFile, DiffContext
from gitvoice.composition.consistency import check_consistency, claims, named_in, names_to_look_up


def file_diff(path: str, added: list[str], removed: tuple[str, ...] = (), header: str = "") -> str:
    lines = [f"diff --git a/{path} b/{path}", f"--- a/{path}", f"+++ b/{path}", f"@@ -1,3 +1,9 @@ {header}"]
    return "\n".join([*lines, *(f"-{line}" for line in removed), *(f"+{line}" for line in added)]) + "\n"


HTTP_LINES = ["import time", "", "def backoff_delay(attempt):", "    return 2 ** attempt", "",
              "    def send(self, request):", "        for attempt in range(5):", "            try:",
              "                return self._post(request)", "            except TimeoutError:",
              "                time.sleep(backoff_delay(attempt))", "        raise TimeoutError('gave up')"]
HTTP = DiffContext((ChangedFile("net/http.py", "M"),), file_diff("net/http.py", HTTP_LINES, header="class HttpClient:"))


def messages(transcript: str, context: DiffContext = HTTP, known: frozenset[str] | None = frozenset()) -> list[str]:
    return [finding.message for finding in check_consistency(transcript, context, known)]


@pytest.mark.parametrize(("spoken", "kinds"), [
    ("Add a retry, and add unit tests for the timeout path.", ("tests",)),
    ("I also added tests for the timeout.", ("tests",)),
    ("Retry the send; the unit tests cover the timeout.", ("tests",)),
    ("Update the docs for the retry.", ("docs",)),
    ("Document the retry policy.", ("docs",)),
    ("Add type hints to send.", ("types",)),
    ("Fix the crash. No tests needed.", ()),
    ("Skip the tests for now.", ()),
    ("Because the tests were flaky, retry twice.", ()),
    ("Tests will follow in a later commit.", ()),
])
def test_claims(spoken: str, kinds: tuple[str, ...]) -> None:
    assert claims(spoken) == kinds


def test_spoken_tests_without_a_test_file_warn() -> None:
    said = "Add a retry with exponential backoff to the HTTP client send method, and add unit tests."
    assert "you mention tests, but the commit changes no test file" in messages(said)
    with_tests = DiffContext((*HTTP.files, ChangedFile("tests/test_http.py", "A")),
                             HTTP.diff_text + file_diff("tests/test_http.py", ["def test_retry():", "    pass"]))
    assert not any("tests" in m for m in messages(said, with_tests))


def test_docs_and_types_claims_are_checked_against_the_lines() -> None:
    assert messages("Add type hints to send.")[0] == ("you mention type annotations, but the commit changes no "
                                                      "type annotations")
    typed = DiffContext(HTTP.files, file_diff("net/http.py", ["    def send(self, request: Request) -> Response:"]))
    assert messages("Add type hints to send.", typed) == []
    documented = DiffContext(HTTP.files, file_diff("net/http.py", ['    """Send with retries."""']))
    assert messages("Document the retry in send.", documented) == []


def test_a_name_nowhere_is_offered_the_nearest_diff_name() -> None:
    said = "Make backof_delay exponential in net/htp.py."
    assert names_to_look_up(said, HTTP) == ("backof_delay", "net/htp.py")
    found = messages(said)
    assert "`backof_delay` is nowhere in the diff or the repository; did you mean `backoff_delay`?" in found
    assert "`net/htp.py` is nowhere in the diff or the repository; did you mean `net/http.py`?" in found
    # In the repository (a caller the diff does not touch), or not looked up at all: nothing to say.
    assert not any("backof_delay" in m for m in messages(said, known=frozenset({"backof_delay"})))
    assert not any("nowhere" in m for m in messages(said, known=None))


def test_dotted_names_count_as_found_when_their_parts_are() -> None:
    assert names_to_look_up("Retry in HttpClient.send.", HTTP) == ()
    assert named_in("Use `os.environ` and settings.toml, version 3.11, and/or e.g. v2.") == ("os.environ",
                                                                                              "settings.toml")


def test_unmentioned_files_and_names_when_the_diff_is_large() -> None:
    extra = file_diff("net/pool.py", ["class ConnectionPool:", "    size = 4"])
    context = DiffContext((*HTTP.files, ChangedFile("net/pool.py", "A")), HTTP.diff_text + extra)
    found = messages("Retry the HTTP send with a backoff delay.", context)
    assert "changed file you did not mention: net/pool.py" in found
    assert not any("backoff_delay" in m for m in found)  # said as "backoff delay"
    small = DiffContext(HTTP.files, file_diff("net/http.py", HTTP_LINES[:3]))
    assert messages("Tidy things up.", small) == []  # a few lines: nothing to say about mentions


def test_a_1000_line_diff_is_checked_in_well_under_50_ms() -> None:
    files, parts = [], []
    for index in range(50):
        path = f"pkg/module_{index}.py"
        files.append(ChangedFile(path, "M"))
        parts.append(file_diff(path, [f"def handler_{index}_{line}(value):" if line % 5 == 0 else
                                      f"    value = compute_{line}(value)" for line in range(20)]))
    context = DiffContext(tuple(files), "".join(parts))
    said = ("Add retries to handler_3_0 and the module_7 helpers, add unit tests, and update the docs; "
            "hndler_4_5 now logs. Refs issue 12.")
    check_consistency(said, context, frozenset())  # warm the regular expressions
    start = time.perf_counter()
    check_consistency(said, context, frozenset())
    assert time.perf_counter() - start < 0.05
