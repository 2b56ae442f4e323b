"""The understanding benchmark's scoring (benchmarks/scoring.py) on hand-written cases, and the shape of its
corpus (benchmarks/data/understanding). No model runs here."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import soundfile

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))  # benchmarks/ is not a package
import scoring

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
CORPUS = BENCHMARKS / "data" / "understanding"


# --- scoring -------------------------------------------------------------------------------------------------

def test_identical_texts_have_no_errors() -> None:
    text = "Rename get_user to fetch_user and keep a thin alias."
    assert scoring.word_error_rate(text, text) == 0.0
    assert scoring.word_error_rate(text, text.upper().replace(".", "")) == 0.0  # normalized both sides


def test_word_error_rate_counts_edits_per_reference_word() -> None:
    assert scoring.word_error_rate("go forward ten meters", "go forward 10 meters") == 0.0
    assert scoring.word_error_rate("fix the flaky test", "fix a flaky test") == pytest.approx(0.25)
    # Digit strings compare digit by digit, however the normalizer grouped them.
    assert scoring.word_error_rate("issue ten twenty four", "issue 10 24") == 0.0
    assert scoring.word_error_rate("", "") == 0.0


def test_a_dropped_clause_is_detected() -> None:
    reference = "Retry the dispatch when the broker is down, and log the request id."
    lost = scoring.lost_words(reference, "Retry the dispatch and log the request id.")
    assert lost.clause_lost
    assert lost.words == ("when", "the", "broker", "is", "down")
    assert lost.count == 5


def test_a_misheard_word_is_not_a_lost_clause() -> None:
    lost = scoring.lost_words("Retry the dispatch when the broker is down.", "Retry the patch when the broker is.")
    assert not lost.clause_lost
    assert lost.count == 1


def test_an_invented_leading_token_is_reported() -> None:
    assert scoring.invented_leading_tokens("Retry dispatch on failure.", "3. Retry dispatch on failure.") == ["3"]
    assert scoring.invented_leading_tokens("Retry dispatch on failure.", "Retry dispatch on failure.") == []
    # A misheard first word is a substitution, not an invention.
    assert scoring.invented_leading_tokens("Retry dispatch on failure.", "Entry dispatch on failure.") == []


@pytest.mark.parametrize("text", [
    "Fix the parser. Fix the parser. Fix the parser.",
    "and and and and the rest",
    "rename the flag to dry run to dry run to dry run to dry run",
    "Rename the Nash-Nash-Nash-Nash-Nash",  # tiny.en loops inside one hyphenated "word" too
])
def test_a_loop_is_detected(text: str) -> None:
    assert scoring.is_loop(text)


@pytest.mark.parametrize("text", [
    "one zero zero zero one nine oh two one",  # a digit string may say a digit three times
    "Move the retry helpers into net/retry.py and update the callers.",
])
def test_ordinary_text_is_not_a_loop(text: str) -> None:
    assert not scoring.is_loop(text)


def test_thai_text_is_wrong_language() -> None:
    assert scoring.is_wrong_language("สวัสดีครับ นี่คือการทดสอบ")
    assert not scoring.is_wrong_language("Rename getUserById to fetch_user in api/users.py.")
    assert not scoring.is_wrong_language("Café naïve résumé")  # accents are still Latin script
    assert scoring.is_wrong_language("Rename the function", detected="de")


def test_identifiers_match_verbatim_with_boundaries() -> None:
    transcript = "Rename getUserById to fetch_user in api/users.py, then use --output; Python 3.11.5 (#42)."
    found, total = scoring.identifiers_verbatim(
        transcript, ["getUserById", "fetch_user", "api/users.py", "--output", "#42", "3.11", "--out", "Fetch_User"])
    assert (found, total) == (5, 8)  # not 3.11 inside 3.11.5, not --out inside --output, case matters
    assert scoring.identifiers_verbatim("prefetch_user", ["fetch_user"]) == (0, 1)


# --- the corpus ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    manifest = CORPUS / "manifest.jsonl"
    assert manifest.is_file(), "run benchmarks/make_corpus.py"
    return [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()]


def test_corpus_is_large_and_varied(entries: list[dict[str, Any]]) -> None:
    assert len(entries) >= 60
    assert len({e["id"] for e in entries}) == len(entries)
    assert len({e["voice"]["voice"] for e in entries}) >= 6
    classes = Counter(e["class"] for e in entries)
    assert sum(1 for count in classes.values() if count >= 4) >= 6, classes
    noisy = [e for e in entries if e["voice"]["snr_db"] is not None]
    assert 0.2 <= len(noisy) / len(entries) <= 0.5
    assert all(e["split"] == "dev" and e["espeak_ng_version"] for e in entries)


def test_corpus_audio_is_16khz_mono(entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        info = soundfile.info(str(CORPUS / entry["path"]))
        assert (info.samplerate, info.channels) == (16000, 1), entry["id"]
        assert 3.0 <= info.duration <= 13.0, entry["id"]
        assert info.duration == pytest.approx(entry["duration_s"], abs=0.02), entry["id"]


def test_corpus_identifiers_are_in_text_and_diff(entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        assert entry["identifiers"], entry["id"]
        for identifier in entry["identifiers"]:
            assert identifier in entry["text"], (entry["id"], identifier)
            assert identifier in entry["diff"], (entry["id"], identifier)


_HUNK_RE = re.compile(r"^@@ -(\d+),(\d+) \+(\d+),(\d+) @@")


def test_corpus_diffs_are_well_formed(entries: list[dict[str, Any]]) -> None:
    """Headers as git writes them, and hunk line counts that match their bodies."""
    for entry in entries:
        lines = entry["diff"].splitlines()
        assert lines[0].startswith("diff --git a/"), entry["id"]
        hunk: list[int] | None = None
        for line in [*lines, "diff --git end"]:
            match = _HUNK_RE.match(line)
            if match or line.startswith("diff --git"):
                assert hunk is None or hunk == [0, 0], (entry["id"], "hunk counts")
                hunk = [int(match[2]), int(match[4])] if match else None
            elif hunk is not None:
                assert line[:1] in (" ", "+", "-"), (entry["id"], line)
                hunk[0] -= line[0] in " -"
                hunk[1] -= line[0] in " +"
