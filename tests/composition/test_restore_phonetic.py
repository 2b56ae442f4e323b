"""Restoration that hears as well as reads: mis-heard identifiers matched by sound, spoken symbols, flags,
versions and issue numbers, and the plain English that must stay English."""

from __future__ import annotations

import pytest

from gitvoice.composition.phonetic import code_word, edit_distance, phonetic_key, similarity
from gitvoice.composition.restore import restore_identifiers
from gitvoice.composition.spoken_symbols import spelled_letters, spoken_number, tokenize

# The identifiers a diff would give, in every style, with near neighbours that make guessing dangerous.
VOCABULARY = [
    "is_valid_email", "MAX_RETRIES", "getUserById", "handle_webhook", "request_id", "load_settings",
    "HttpClient.send", "os.environ", "pyproject.toml", "README.md", "fetch_user", "api/users.py", "DATABASE_URL",
    "is_valid", "update_callers", "None", "list", "send_batch", "user_profiles", "JSON.parse", "SqlUserRepository",
    ".github/workflows/ci.yml", "create_account", "DEBUG_SQL", "MAX_BATCH_SIZE", "BatchWriter.flush",
]


def restored(text: str, identifiers: list[str] | None = None) -> str:
    return restore_identifiers(text, VOCABULARY if identifiers is None else identifiers)


# --- mis-heard identifiers -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("spoken", "expected"), [
    ("Call this valid email before saving.", "Call is_valid_email before saving."),
    ("Raise Mac free tries to five.", "Raise MAX_RETRIES to five."),
    ("Raise max retries to five.", "Raise MAX_RETRIES to five."),
    ("Raise Mac retries to five.", "Raise MAX_RETRIES to five."),
    ("Rename get user by I.D. to fetch user.", "Rename getUserById to fetch_user."),
    ("Rename get user by I D to fetch user.", "Rename getUserById to fetch_user."),
    ("Rename get user by ID.", "Rename getUserById."),
    ("Guard handle web hook.", "Guard handle_webhook."),
    ("Log the request I.D.", "Log the request_id."),
    ("Log the request ID and return.", "Log the request_id and return."),
    ("Call load settings once.", "Call load_settings once."),
    ("Wrap HTTP client dot send in a span.", "Wrap HttpClient.send in a span."),
    ("Wrap http client.send in a span.", "Wrap HttpClient.send in a span."),
    ("Wrap H T T P client dot sent in a span.", "Wrap HttpClient.send in a span."),
    ("Stop reading O S dot environ.", "Stop reading os.environ."),
    ("Stop reading OS.environ directly.", "Stop reading os.environ directly."),
    ("Bump pie project dot tommel.", "Bump pyproject.toml."),
    ("Replace Jason dot parse.", "Replace JSON.parse."),
    ("Update the read me.", "Update the README.md."),
    ("Add an S Q L user repository.", "Add an SqlUserRepository."),
    ("Add a step in dot github slash workflows slash C I dot yaml.", "Add a step in .github/workflows/ci.yml."),
    ("Call create count first.", "Call create_account first."),
    ("Remove the debug S Q L flag.", "Remove the DEBUG_SQL flag."),
    ("Max batch size was ignored by batch writer dot flush.", "MAX_BATCH_SIZE was ignored by BatchWriter.flush."),
    ("Move it to A P I slash users dot pie.", "Move it to api/users.py."),
    ("Call JSON.pass on it.", "Call JSON.parse on it."),  # one member of a dotted name mis-heard
    ("Raise max retry to five.", "Raise MAX_RETRIES to five."),  # a constant's plural unheard
])
def test_mis_heard_identifiers_of_the_vocabulary_are_restored(spoken: str, expected: str) -> None:
    assert restored(spoken) == expected


@pytest.mark.parametrize(("spoken", "identifiers", "expected"), [
    ("Update the read me.", ["README", "README.md"], "Update the README."),
    ("Update the read me file.", ["README.md"], "Update the README.md file."),
    ("Read the constant database URL.", ["DATABASE_URL"], "Read the constant DATABASE_URL."),
    ("Read the database URL env var.", ["DATABASE_URL"], "Read the DATABASE_URL env var."),
    ("Read DATABASE URL from the environment.", ["DATABASE_URL"], "Read DATABASE_URL from the environment."),
    # The staged change has the constant: its words are the constant, not the concept.
    ("Read the database URL from the environment.", ["DATABASE_URL"], "Read the DATABASE_URL from the environment."),
    ("Lower the default time out and make request time out configurable.", ["DEFAULT_TIMEOUT", "REQUEST_TIMEOUT"],
     "Lower the DEFAULT_TIMEOUT and make REQUEST_TIMEOUT configurable."),
    ("Bump muffer size to 64 kilobytes.", ["BUFFER_SIZE"], "Bump BUFFER_SIZE to 64 kilobytes."),
    # Another verb said before the name's noun is English: "read" is not a mis-heard "load".
    ("The second call does not read settings again.", ["load_settings"],
     "The second call does not read settings again."),
    ("Then load settings once.", ["load_settings"], "Then load_settings once."),
    ("Pass dash dash log level debug.", ["--log-level"], "Pass --log-level debug."),
    ("Pass dash dash max workers eight.", ["--max-workers"], "Pass --max-workers eight."),
    ("Add a dash dash max worker's flag.", ["--max-workers"], "Add a --max-workers flag."),
    ("Make dash dash vermos imply quiet.", ["--verbose", "--version"], "Make --verbose imply quiet."),
    # tiny.en hears "dash" as a rhyme, hyphenated to the flag's words: a flag of the change is still that flag.
    ("Rename the Nash-Out option.", ["src/cli.rs", "--output", "--out"], "Rename the --out option."),
    ("Turn on Nash Nash verbose to see it.", ["--verbose"], "Turn on --verbose to see it."),
    ("Pass mash-dry-run now.", ["--dry-run"], "Pass --dry-run now."),
    # ... and only such a flag: "cash" is a word, and so is "Nash" without a flag of the change after it.
    ("Pay in cash now.", ["--now"], "Pay in cash now."),
    ("Drop the cash layer.", ["--verbose"], "Drop the cash layer."),
    ("Ask Nash-Out.", [], "Ask Nash-Out."),
    ("Take the Nash-Out-put path.", ["--out"], "Take the Nash-Out-put path."),
    # A flag of the change named as a flag needs no "dash dash"; the same words elsewhere stay words.
    ("Drop the legacy format flag.", ["legacy_format", "--legacy-format"], "Drop the --legacy-format flag."),
    ("Keep the legacy format readable.", ["--legacy-format"], "Keep the legacy format readable."),
    ("Use the all flag.", ["--all"], "Use the all flag."),
    # Paths said in pieces, the file name heard right: the path of the change with that file name.
    ("Document them in doc slash configuration dot mb.", ["docs/configuration.md", "configuration.md"],
     "Document them in docs/configuration.md."),
    ("Move it to the i slash users.py now.", ["api/users.py", "api/views.py", "users.py"],
     "Move it to the api/users.py now."),
    ("Edit dot get home slash work floor slash ci dot yaml.", [".github/workflows/ci.yml", "ci.yml"],
     "Edit .github/workflows/ci.yml."),
    ("Move it to the i slash user.py now.", ["api/users.py"], "Move it to the i slash user.py now."),
    # Without its extension the file name is still the one path of the change with that name.
    ("Update the callers in the ID slash users.", ["api/users.py", "users.py"],
     "Update the callers in the api/users.py."),
    ("Update the callers in the ID slash users.", ["api/users.py", "web/users.js"],
     "Update the callers in the ID slash users."),
    ("Give the users read slash write access.", ["api/users.py"], "Give the users read slash write access."),
    # Whisper chains spelled-out speech with hyphens: around a spoken symbol its pieces are words again.
    ("Renamed crip-slash-d-loy.sh-d-crip-slash-release.sh-n-up-date-for-make-file target.",
     ["scripts/release.sh", "scripts/deploy.sh", "Makefile", "release.sh", "deploy.sh"],
     "Renamed crip slash d loy.sh d scripts/release.sh n up date for Makefile target."),
    ("Pass dash-dash-dry-run to it.", ["--dry-run"], "Pass --dry-run to it."),
    ("Keep it up-to-date and state-of-the-art.", ["--dry-run"], "Keep it up-to-date and state-of-the-art."),
    # A lone letter after a whole file name is a word of its own, not a letter of the extension.
    ("Move scripts slash release.sh n update it.", ["scripts/release.sh"], "Move scripts/release.sh n update it."),
    ("Fix S R C slash main dot R S now.", ["src/main.rs"], "Fix src/main.rs now."),
])
def test_vocabulary_decides(spoken: str, identifiers: list[str], expected: str) -> None:
    assert restored(spoken, identifiers) == expected


# --- plain English stays English -----------------------------------------------------------------------------

@pytest.mark.parametrize("spoken", [
    "This is valid input.",
    "Check that this is valid.",
    "Sort the list first.",
    "Then update the callers.",
    "The max is five.",
    "Please read me the error again.",
    "We load users lazily.",  # `load_user` below: an inflected English phrase, not the name
    "We now send batches of fifty events.",
    "The user profile page is faster.",
    "Fetch a user from the cache.",
    "Handle the web hook request.",
    "Load the settings lazily.",
    "This valid point came up in review.",
    "The two are the same.",
    "Use a dash of salt.",
    "To underscore the point, we measured.",
    "The dot product is slow.",
    "At one point two users saw the page.",
    "This issue is old.",
    "Pie charts render faster now.",
])
def test_plain_english_stays(spoken: str) -> None:
    assert restored(spoken, [*VOCABULARY, "load_user", "user_profile_page_id", "dot_product_cache"]) == spoken


@pytest.mark.parametrize(("spoken", "identifiers"), [
    ("Raise max retries.", []),  # no vocabulary: nothing is invented
    ("Raise max retries.", ["MAX_RETRY_DELAY", "MIN_RETRIES"]),
    ("Read the database URL.", []),
    ("Use Mac free tries.", ["mac_address"]),
    ("Call this valid email.", ["is_valid_phone"]),
    ("Call fetch user.", ["fetch_users", "fetch_user_id"]),  # plural and longer neighbours: no guess
])
def test_nothing_outside_the_vocabulary_is_produced(spoken: str, identifiers: list[str]) -> None:
    assert restored(spoken, identifiers) == spoken


def test_two_names_that_sound_alike_are_left_alone() -> None:
    assert restored("Call handle web hak now.", ["handle_webhook"]) == "Call handle_webhook now."
    assert restored("Call handle web hak now.", ["handle_webhook", "handle_webhack"]) == "Call handle web hak now."


# --- spoken symbols, flags, versions and issues ---------------------------------------------------------------

@pytest.mark.parametrize(("spoken", "expected"), [
    ("Move it to api slash users dot py.", "Move it to api/users.py."),
    ("Move it to A P I slash users dot pie.", "Move it to api/users.py."),
    ("Edit docs slash configuration dot M D.", "Edit docs/configuration.md."),
    ("Fix S R C slash main dot R S now.", "Fix src/main.rs now."),
    ("Add dot github slash workflows slash C I dot yaml.", "Add .github/workflows/ci.yaml."),
    ("Edit config slash legacy dot Jason.", "Edit config/legacy.json."),
    ("Edit retry dot py.", "Edit retry.py."),
    ("Call load underscore settings.", "Call load_settings."),
    ("Move api slash user dash profile dot py.", "Move api/user-profile.py."),
    ("Read it and slash or write it.", "Read it and slash or write it."),
    ("Update the ID slash users.", "Update the ID slash users."),  # no file, no dotfile: not surely a path
    ("Add a read slash write lock.", "Add a read slash write lock."),
    ("Time dot monotonic is better.", "Time dot monotonic is better."),  # "dot" joins a name only by vocabulary
])
def test_spoken_symbols_join_names_without_a_vocabulary(spoken: str, expected: str) -> None:
    assert restored(spoken, []) == expected


@pytest.mark.parametrize(("spoken", "expected"), [
    ("Add a dash dash dry run flag.", "Add a --dry-run flag."),
    ("Add a test for issue 3-11 now.", "Add a test for issue #311 now."),
    ("Make dash dash verbose imply dash dash log level debug.", "Make --verbose imply --log-level debug."),
    ("Rename the dash dash out option to dash dash output.", "Rename the --out option to --output."),
    ("Pass dash dash no cache to docker.", "Pass --no-cache to docker."),
    ("Add dash dash Jason to status.", "Add --json to status."),
    ("Drop the dash dash legacy format flag.", "Drop the --legacy-format flag."),
    ("Pass dash v for more.", "Pass -v for more."),
    ("Pass dash-dash dry run.", "Pass --dry-run."),
])
def test_spoken_flags(spoken: str, expected: str) -> None:
    assert restored(spoken, []) == expected


def test_a_flag_of_the_vocabulary_beats_the_words_after_dash_dash() -> None:
    assert restored("Add dash dash dry run mode.", ["--dry-run"]) == "Add --dry-run mode."
    assert restored("Add dash dash dry run mode.", []) == "Add --dry-run-mode."


def test_a_comma_after_dash_dash_admits_only_a_flag_of_the_vocabulary() -> None:
    assert restored("Pass dash dash, no cash to the build.", ["--no-cache"]) == "Pass --no-cache to the build."
    assert restored("I said dash dash, and then more.", ["--no-cache"]) == "I said dash dash, and then more."
    assert restored("Pass dash dash, no cash to the build.", []) == "Pass dash dash, no cash to the build."


def test_a_dotted_name_with_an_unlike_member_stays() -> None:
    assert restored("Call math.min here.", ["Math.max"]) == "Call math.min here."
    assert restored("Call map.max here.", ["Math.max", "Mass.max"]) == "Call map.max here."  # which one?


def test_a_snake_case_name_does_not_swallow_a_flag() -> None:
    assert restored("Add a dash dash dry run flag and read dry run.", ["dry_run"]) == \
        "Add a --dry-run flag and read dry_run."


@pytest.mark.parametrize(("spoken", "expected"), [
    ("Require version three point eleven.", "Require version 3.11."),
    ("Require version 3 point 11.", "Require version 3.11."),
    ("Require python three point eleven.", "Require Python 3.11."),
    ("Upgrade to node twenty point eleven.", "Upgrade to Node 20.11."),
    ("Bump it to two point four point oh.", "Bump it to 2.4.0."),
    ("Update to go one point twenty two.", "Update to Go 1.22."),
    ("Release zero point nine point one.", "Release 0.9.1."),
    ("This fixes issue forty two.", "This fixes issue #42."),
    ("This fixes issue number 42.", "This fixes issue #42."),
    ("See issue ten twenty four.", "See issue #1024."),
    ("See issue two oh three.", "See issue #203."),
    ("Closes issue seven. The button works.", "Closes issue #7. The button works."),
    ("Fixes issue eighty nine and issue ninety.", "Fixes issue #89 and issue #90."),
    ("Revert pull request one hundred and eighteen.", "Revert pull request #118."),
    ("Revert PR 7.", "Revert PR #7."),
    # Whisper writes "one hundred and eighteen" as "100 and 18", and hears "pull" before "request" as "Paul".
    ("Revert pull request 100 and 18.", "Revert pull request #118."),
    ("Revert the change from Paul request 100 and 18.", "Revert the change from pull request #118."),
    ("Revert pull request 200 and five.", "Revert pull request #205."),
    ("Revert Paul request 3-11.", "Revert pull request #311."),
    ("Pull request number 7 is back.", "Pull request #7 is back."),
    ("Pay 100 and 18 more.", "Pay 100 and 18 more."),
    ("Ask Paul for the request.", "Ask Paul for the request."),
])
def test_versions_and_issue_numbers(spoken: str, expected: str) -> None:
    assert restored(spoken, []) == expected


def test_numbers_outside_versions_and_issues_are_left_to_the_composer() -> None:
    assert restored("Split it in two and wait forty two seconds.", []) == "Split it in two and wait forty two seconds."


# --- the pieces --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("word", "key"), [
    ("this", "0S"), ("is", "AS"), ("valid", "FLT"), ("email", "AML"), ("retries", "RTRS"), ("webhook", "WBHK"),
    ("check", "XK"), ("school", "SKL"), ("nation", "NXN"), ("night", "NT"), ("knob", "NB"), ("graph", "KRF"),
    ("edge", "AJ"), ("account", "AKNT"), ("utf8", "ATF8"), ("", ""),
])
def test_phonetic_key(word: str, key: str) -> None:
    assert phonetic_key(word) == key


def test_words_that_sound_alike_share_a_key() -> None:
    assert phonetic_key("valid") == phonetic_key("valet")
    assert phonetic_key("Jason") == phonetic_key("jaysun")
    assert phonetic_key("fetch") == phonetic_key("fech")


def test_code_homophones() -> None:
    assert [code_word(w) for w in ("pie", "Jason", "tommel", "sequel", "Mac", "user")] == \
        ["py", "json", "toml", "sql", "max", "user"]


def test_edit_distance_and_similarity() -> None:
    assert edit_distance("kitten", "sitting", 10) == 3
    assert edit_distance("kitten", "sitting", 2) == 3  # stopped early: more than the limit
    assert edit_distance("", "abc", 5) == 3
    assert similarity("abc", "abc") == 1.0
    assert similarity("", "") == 1.0
    assert similarity("thisvalidemail", "isvalidemail") == pytest.approx(1 - 2 / 14)
    assert similarity("abc", "xyz", floor=0.5) == 0.0


@pytest.mark.parametrize(("words", "digits"), [
    ("forty two", "42"), ("one hundred and eighteen", "118"), ("ten twenty four", "1024"), ("two oh three", "203"),
    ("three eleven", "311"), ("two fifty six", "256"), ("seven", "7"), ("42", "42"), ("twenty", "20"),
    ("100 and 18", "118"), ("100 and 100", None),
    ("banana", None),
])
def test_spoken_number(words: str, digits: str | None) -> None:
    assert spoken_number(words.split()) == digits


@pytest.mark.parametrize(("word", "letters"), [
    ("I.D.", "id"), ("I.D", "id"), ("O.S.", "os"), ("P", "p"), ("ID", None), ("a", None), ("users.py", None),
])
def test_spelled_letters(word: str, letters: str | None) -> None:
    assert spelled_letters(word) == letters


def test_an_acronym_keeps_its_dot_only_inside_a_sentence() -> None:
    assert [t.word for t in tokenize("by I.D. to fetch")] == ["by", "I.D.", "to", "fetch"]
    assert [t.word for t in tokenize("by I.D. Then")] == ["by", "I.D", "Then"]
    assert [t.word for t in tokenize("the users.py.")] == ["the", "users.py"]


def test_the_same_list_of_identifiers_is_prepared_once() -> None:
    from gitvoice.composition.restore import _vocabulary

    identifiers = ("is_valid_email", "MAX_RETRIES")
    restored("Call this valid email.", list(identifiers))
    before = _vocabulary.cache_info().hits
    restored("Raise Mac free tries.", list(identifiers))
    assert _vocabulary.cache_info().hits == before + 1


# --- what restoration did before it could hear ----------------------------------------------------------------

@pytest.mark.parametrize(("spoken", "identifiers", "expected"), [
    ("Rename getUserId.", ["getUserById"], "Rename getUserById."),  # a code-shaped word a letter or two off
    ("Read os.en", ["os.environ"], "Read os.environ"),  # a name cut off at the end of the transcript
    ("Guard against a none response.", ["None"], "Guard against a None response."),
    ("None of them failed.", ["None"], "None of them failed."),
    ("Rename fetch-user.", ["fetch_user"], "Rename fetch_user."),
    ("Edit users.pie now.", ["api/users.py", "users.py"], "Edit users.py now."),
    ("Fix fetch user, and go.", ["fetch_user_and_go"], "Fix fetch user, and go."),  # a comma ends a run
    ("Convert it to json.", ["to_json"], "Convert it to json."),
    ("We have things to do.", ["TODO.md", "TODO"], "We have things to do."),
])
def test_earlier_restoration_still_holds(spoken: str, identifiers: list[str], expected: str) -> None:
    assert restored(spoken, identifiers) == expected


@pytest.mark.parametrize("spoken", [
    "# # oh I thousand free hyphen", "dash dash issue forty two", "dot dot slash", "issue number", "dash", "",
    "python point eleven", "I.D. I.D. I.D.", "read me.", "- -- / _", "version 3 point",
])
def test_odd_transcripts_do_not_break_restoration(spoken: str) -> None:
    assert isinstance(restored(spoken), str)
    assert isinstance(restored(spoken, []), str)


def test_a_renaming_verb_between_two_names_of_the_change_gets_its_to_back() -> None:
    """tiny.en hears "to total" as "Total": "Rename Total Total Wind Tax"."""
    names = ["total", "total_with_tax", "getUserById", "fetch_user"]
    assert restore_identifiers("Rename total total with tax, and round it.", names) == \
        "Rename total to total_with_tax, and round it."
    assert restore_identifiers("renamed get user by ID fetch user.", names) == "renamed getUserById to fetch_user."
    assert restore_identifiers("Rename total and total with tax.", names) == "Rename total and total_with_tax."
    assert restore_identifiers("Move the total total with tax.", names) == "Move the total total_with_tax."
    assert restore_identifiers("Rename fetch user getUserById", ["fetch_user"]) == "Rename fetch_user getUserById"
