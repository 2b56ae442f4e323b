"""The code-aware decode's pure parts: reconciliation of a plain and a code-aware decode, loop detection, the
degeneracy verdict, language choice, and the identifier trie. No model: fast."""

from __future__ import annotations

import pytest

from gitvoice.core.errors import UsageError
from gitvoice.transcription.biasing import _partial_match, build_trie
from gitvoice.transcription.codeaware import (
    ChunkRequest,
    CodeAwareOptions,
    _ended_as,
    _judge,
    degenerate_reason,
    merge,
)
from gitvoice.transcription.decoding import (
    Decoded,
    EndLoops,
    NoRepeatNgram,
    ends_in_loop,
    split_segments,
    ungrouped,
)
from gitvoice.transcription.languages import LanguageChoice, choose_language
from gitvoice.transcription.loops import before_loop, collapse_loops, compression_ratio, is_looped
from gitvoice.transcription.reconcile import (
    code_shaped,
    reconcile,
    snap_to_vocabulary,
    spelled_as_code,
    spoken_units,
)

PLAIN_DEV02 = "Rename get user by ID to fetch user, and update the callers in API slash users dot pi."


def test_spoken_units_read_identifiers_as_a_speaker_says_them() -> None:
    assert [w for w, _ in spoken_units("getUserById")] == ["get", "user", "by", "id"]
    assert spoken_units("api/users.py") == [("api", False), ("slash", True), ("users", False), ("dot", True),
                                            ("py", False)]
    assert [w for w, _ in spoken_units("MAX_RETRIES,")] == ["max", "underscore", "retries"]
    assert [w for w, _ in spoken_units("pie")] == ["py"]
    assert [w for w, _ in spoken_units("three")] == ["3"]


def test_a_clause_the_code_aware_decode_dropped_is_kept() -> None:
    result = reconcile(PLAIN_DEV02, "Rename getUserById", ["getUserById", "fetch_user", "api/users.py"])
    assert result.text == "Rename getUserById to fetch user, and update the callers in API slash users dot pi."


def test_a_skipped_word_is_kept_and_code_spellings_are_taken() -> None:
    result = reconcile(PLAIN_DEV02, "Rename getUserById fetch_user and update the callers in api/users.py.")
    assert result.text == "Rename getUserById to fetch_user, and update the callers in api/users.py."
    assert result.aware_taken == 3


def test_an_invented_leading_token_is_dropped() -> None:
    result = reconcile("Retry dispatch up to three times in handle web hook.",
                       "3. Retry dispatch up to three times in handle_webhook.")
    assert result.text == "Retry dispatch up to three times in handle_webhook."
    assert result.aware_dropped == ("3.",)


def test_ordinary_words_keep_the_plain_spelling() -> None:
    # The primed decode's capitals and hyphens on ordinary words are noise, not code spellings.
    assert reconcile("and call it from creator count before", "And call it FROM CREATOR COUNT BEFORE").text == \
        "and call it from creator count before"
    assert reconcile("So basically retry loop in", "So basically retry-loop in").text == "So basically retry loop in"


def test_a_vocabulary_word_may_change_case() -> None:
    assert reconcile("Guard against a none response", "Guard against a None response", ["None"]).text == \
        "Guard against a None response"
    assert reconcile("Guard against a none response", "Guard against a None response").text == \
        "Guard against a none response"


def test_a_diff_identifier_may_fill_one_missed_word() -> None:
    plain = "Rename get user ID to fetch user"
    assert reconcile(plain, "Rename getUserById to fetch_user", ["getUserById"]).text == \
        "Rename getUserById to fetch_user"
    # Not from the diff: the plain decode heard no "by", so the spelling is not taken.
    assert reconcile(plain, "Rename getUserById to fetch_user").text == "Rename get user ID to fetch_user"


def test_a_different_word_is_never_taken() -> None:
    assert reconcile("update the callers in users", "update the colors_list in users").text == \
        "update the callers in users"
    assert reconcile("fix the parser", "fix the parse_tree").text == "fix the parser"


def test_one_word_written_as_two_still_aligns() -> None:
    assert reconcile("log the request ID in handle web hook.", "log the request_id in handle_webhook.").text == \
        "log the request_id in handle_webhook."


def test_punctuation_and_capitals_of_the_plain_decode_survive() -> None:
    assert reconcile("Fetch user, then stop.", "fetch_user then stop").text == "fetch_user, then stop."  # code case
    assert reconcile("Rename it. Rename get user ID", "rename it. rename getUserById", ["getUserById"]).text == \
        "Rename it. Rename getUserById"


def test_a_near_miss_of_a_diff_identifier_is_written_as_the_identifier() -> None:
    vocabulary = ["api/users.py", "getUserById", "handle_webhook", "request_id"]
    assert snap_to_vocabulary("pis-users.py.", vocabulary) == "api/users.py."
    assert snap_to_vocabulary("handle-webhook", vocabulary) == "handle_webhook"
    assert snap_to_vocabulary("retry-loop", vocabulary) == "retry-loop"
    assert reconcile("update the colors in the ID slash users.", "update the colors in the pis-users.py.",
                     vocabulary).text == "update the colors in the api/users.py."
    assert reconcile("in Handel webhook and log the request ID.", "in handle-webhook and log the request-id.",
                     vocabulary).text == "in handle_webhook and log the request_id."


def test_nothing_to_reconcile() -> None:
    assert reconcile("fix the thing", "").text == "fix the thing"
    assert reconcile("", "fix_the_thing").text == ""


def test_code_shapes() -> None:
    for token in ("fetch_user", "getUserById", "api/users.py", "os.environ", "MAX_RETRIES", "--verbose", "#12"):
        assert code_shaped(token), token
    for token in ("HELPER,", "retry-loop", "users.", "None", "-"):
        assert not code_shaped(token), token


def test_loops_are_detected() -> None:
    assert is_looped("Rename the Nachnashnashnashnashnashnash")  # inside one word, zlib sees no loop
    assert not is_looped("Mississippi bookkeeper hahaha 100000000")
    assert is_looped("pyproject.toml README. pyproject.toml README. pyproject.toml README. pyproject.toml README.")
    assert is_looped("zero zero zero zero")
    assert is_looped("user.py " * 40)
    assert not is_looped("one zero zero zero one nine oh two one")
    assert not is_looped("Rename getUserById to fetch_user and update the callers in api/users.py.")
    assert compression_ratio("a b c " * 30) > 2.4


def test_loops_are_collapsed_and_speech_that_repeats_is_not() -> None:
    assert collapse_loops("fix the test fix the test fix the test") == "fix the test"
    assert collapse_loops("see users.py users.py users.py.") == "see users.py."
    assert collapse_loops("users.py.py.py and api/users.py, api/users.py, api/users.py") == "users.py and api/users.py"
    assert collapse_loops("README README README README ok") == "README ok"
    assert collapse_loops("Nash-Nash-Nash") == "Nash"
    # Said three times on purpose: the digits clip of the shared human recordings, and emphasis.
    for spoken in ("1, 0, 0, 0, 1. 90210. 0, 1, 8, 0, 3.", "It was very, very, very good.", "version 1.1 1.1",
                   "a.py b.py a.py"):
        assert collapse_loops(spoken) == spoken


def _decoded(text: str, avg_logprob: float = -0.3, ratio: float | None = None) -> Decoded:
    return Decoded(text=text, segments=((0.0, 2.0, text),) if text else (), avg_logprob=avg_logprob,
                   no_speech_prob=0.01, compression_ratio=compression_ratio(text) if ratio is None else ratio,
                   end_s=2.0)


def test_degenerate_code_aware_decodes_are_recognised() -> None:
    options = CodeAwareOptions()
    plain = _decoded("Update the changelog and the readme.")
    assert degenerate_reason(_decoded("Update the CHANGELOG and the README."), plain, options) is None
    looped = _decoded("pyproject.toml README. pyproject.toml README. pyproject.toml README.")
    assert degenerate_reason(looped, plain, options) == "repetition loop"
    assert "compression" in str(degenerate_reason(_decoded("text", ratio=3.1), plain, options))
    assert "logprob" in str(degenerate_reason(_decoded("Update the changelog", avg_logprob=-1.5), plain, options))
    assert degenerate_reason(_decoded(""), plain, options) == "empty"


class _FakeTokenizer:
    """Whisper-like timestamps from 1000, text tokens below; a token per character, like a tiny BPE."""

    timestamp_begin = 1000
    eot = 999

    def encode(self, text: str) -> list[int]:
        return [ord(c) for c in text]

    def decode(self, tokens: list[int]) -> str:
        return "".join(chr(t) for t in tokens if t < self.timestamp_begin)


def test_timestamped_tokens_become_segments() -> None:
    tok = _FakeTokenizer()
    tokens = [1000, *tok.encode(" ab"), 1100, 1100, *tok.encode(" cd"), 1200, *tok.encode(" ef")]
    assert split_segments(tokens, tok, 5.0) == ((0.0, 2.0, "ab"), (2.0, 4.0, "cd"), (0.0, 5.0, "ef"))
    assert split_segments([1000, *tok.encode(" ab"), 1900], tok, 5.0) == ((0.0, 5.0, "ab"),)  # clamped


def test_the_trie_knows_where_an_identifier_continues() -> None:
    tok = _FakeTokenizer()
    trie = build_trie(["ab_c", "ab_c", " ", "xy"], tok)
    assert trie.spaced_roots == {ord(" ")}
    assert trie.bare_roots == {ord("a"), ord("x")}
    assert _partial_match(trie, tok.encode("so ab")) == tuple(tok.encode(" ab"))
    assert trie.children[tuple(tok.encode(" ab"))] == {ord("_")}
    assert _partial_match(trie, tok.encode("so ab_c")) is None  # complete: nothing continues it


def test_language_choice() -> None:
    def never() -> dict[str, float]:
        raise AssertionError("detection should not run")

    assert choose_language(False, "de", None, never).code == "en"  # English-only model
    assert choose_language(True, "zh", None, never).code == "zh"  # explicit wins
    assert choose_language(True, "Chinese", None, never).code == "zh"
    assert choose_language(True, None, None, never).code == "en"  # default: English only
    probabilities = {"th": 0.7, "en": 0.2, "de": 0.1}
    choice = choose_language(True, None, ("en", "de"), lambda: probabilities)
    assert (choice.code, choice.source, choice.probability) == ("en", "detected", 0.2)
    with pytest.raises(UsageError):
        choose_language(True, "klingon", None, never)


def test_a_diff_identifier_substitutes_only_for_words_that_sound_like_it() -> None:
    vocabulary = ["useFetch", "useFetch.js", "DataTable.tsx", "useMemo", "sortedRows"]
    assert reconcile("and switch your fish to the built-in fetch.", "and switch useFetch to the built-in fetch.",
                     vocabulary).text == "and switch useFetch to the built-in fetch."
    # The code-aware decode stopped early and wrote a file name where the plain decode heard a whole clause:
    # not by its letters; only placed there, for the audio to judge (tests/transcription/test_rescoring.py).
    reconciled = reconcile("Use you's memo for sorted rows. It was recalculated",
                           "Use useMemo for sortedRows.tsx DataTable.tsx", vocabulary)
    assert [(p.text, p.replaced, p.alike) for p in reconciled.pieces if p.replaced] == \
        [("useMemo", ("you's", "memo"), True), ("DataTable.tsx", ("It", "was", "recalculated"), False)]
    assert [p.alike for p in reconcile("and switch your fish to it", "and switch useFetch to it",
                                       vocabulary).pieces if p.replaced] == [True]
    # A code spelling that is not a name of the change is never placed over other words.
    assert reconcile("Use you's memo for sorted rows. It was recalculated",
                     "Use useMemo for sortedRows.tsx Grid.tsx", vocabulary).text == \
        "Use useMemo for sortedRows. It was recalculated"


def test_without_the_audio_to_judge_a_name_only_placed_over_other_words_is_not_written() -> None:
    plain, aware = _decoded("Check ZDX.com in the rolling loop."), _decoded("Check ctx.Done in the polling loop.")
    segments, _notes = merge(plain, aware, ["ctx.Done"], score=None)
    assert segments == ((0.0, 2.0, "Check ZDX.com in the rolling loop."),)
    segments, _notes = merge(_decoded("switch your fish to it"), _decoded("switch useFetch to it"), ["useFetch"])
    assert segments == ((0.0, 2.0, "switch useFetch to it"),)


def test_a_hyphen_the_plain_decode_wrote_is_spelling_not_a_word() -> None:
    assert reconcile("so redraw-chat, stop running", "so redrawChart.ts stop running", ["redrawChart"]).text == \
        "so redrawChart, stop running"


def test_the_words_before_a_loop_are_kept() -> None:
    looped = "Use useMemo for sortedRows.tsx " + "DataTable.tsx " * 30 + "Data"
    assert before_loop(looped) == "Use useMemo for sortedRows.tsx DataTable.tsx DataTable.tsx"
    assert before_loop("Rename getUserById to fetch_user.") == "Rename getUserById to fetch_user."


def test_a_looping_code_aware_decode_still_spells_what_it_heard_before_the_loop() -> None:
    plain = _decoded("Use you's memo for sorted rows. It was recalculated on every keystroke.")
    aware = _decoded("Use useMemo for sortedRows.tsx " + "DataTable.tsx " * 30 + "Data")
    request = ChunkRequest(language="en", languages=None, prompt="useMemo", vocabulary=("useMemo", "sortedRows"),
                           trie=None, fp16=False)
    result = _judge(plain, aware, LanguageChoice("en", "model", None), request, CodeAwareOptions(), {})
    assert " ".join(text for _, _, text in result.segments) == \
        "Use useMemo for sortedRows. It was recalculated on every keystroke."
    assert result.diagnostics["aware_salvaged"]["reason"].startswith("compression ratio")


def test_a_decode_made_not_to_loop_cannot_write_a_run_of_tokens_twice() -> None:
    import torch

    timestamp = 100  # tokens from here on are timestamps: they never count
    prompt = [7, 8, 9, 10]  # before sample_begin: the prompt may hold the run already
    sequences = torch.tensor([[*prompt, 6, 1, 2, 3, 1, 2], [*prompt, 1, 2, timestamp + 5, 3, 1, 2],
                              [*prompt, 1, 2, 3, 4, 5, 6]])
    logits = torch.zeros(3, 120)
    NoRepeatNgram(3, sample_begin=len(prompt), text_end=timestamp).apply(logits, sequences)
    assert logits[0, 3] == -float("inf") and logits[1, 3] == -float("inf")  # "1 2 3" again, timestamp or not
    assert torch.isfinite(logits[0, [1, 2, 4, 5]]).all()  # any other token may follow
    assert torch.isfinite(logits[2]).all()  # "5 6" came once: nothing to forbid
    prompted = torch.tensor([[9, 10, 11, 9, 10]])  # "9 10 11" only before the sample began
    logits = torch.zeros(1, 120)
    NoRepeatNgram(3, sample_begin=3, text_end=timestamp).apply(logits, prompted)
    assert torch.isfinite(logits).all()


def test_a_loop_ends_the_decode_and_speech_that_repeats_itself_does_not() -> None:
    import torch

    assert ends_in_loop([5, 6, *[11, 12] * 12])  # "-d-d-d-d-d-d...": two tokens twelve times
    assert ends_in_loop([5, *[7, 8, 9, 10] * 6])  # "net.py net.py net.py ...": six times
    assert ends_in_loop([4] * 24)
    assert not ends_in_loop([1, 3, 0, 3, 0, 3, 0, 3, 1])  # "1, 0, 0, 0, 1": digits read out
    assert not ends_in_loop([2, 7, 8, 9] * 5)  # "Nash-Nash-Nash-Nash-Nash Out": tiny.en went on after five
    assert not ends_in_loop([4] * 23)
    assert not ends_in_loop([*[11, 12] * 12, 13])  # the loop ended by itself
    eot = 99
    sequences = torch.tensor([[1, 2, *[11, 12] * 12], [1, 2, *range(20, 44)]])
    logits = torch.zeros(2, 120)
    logits[0, eot] = -3.0
    EndLoops(sample_begin=2, eot=eot).apply(logits, sequences)
    assert logits[0].argmax() == eot and torch.isinf(logits[0, :eot]).all()  # only the end may follow
    assert torch.isfinite(logits[1]).all()


def test_a_whole_code_aware_decode_wins_over_a_plain_one_that_had_to_be_decoded_again() -> None:
    plain = _decoded("RAP-H-T-D-D-K-I-N-T-T-N-T, SEND-IN-A-PAN-SOR-WE-KAN-T-SOR-KOS-IN-T-RACES.")
    aware = _decoded("wrap HttpClient.send in a span so we can see slow calls in the traces.")
    request = ChunkRequest(language="en", languages=None, prompt="HttpClient.send", vocabulary=("HttpClient.send",),
                           trie=None, fp16=False)
    notes = {"plain_redecoded": {"reason": "compression ratio 4.53 > 2.4", "no_repeat_ngram": 5}}
    result = _judge(plain, aware, LanguageChoice("en", "model", None), request, CodeAwareOptions(), notes)
    assert result.diagnostics["winner"] == "aware"
    assert result.segments == aware.segments


def test_a_plain_decode_made_not_to_loop_keeps_the_clause_a_looping_code_aware_decode_lost() -> None:
    plain = _decoded("Move the retry element from utils not high into the new module. Next, retry not high.")
    aware = _decoded("Move the retry element from utils.py" + ".py" * 60)
    request = ChunkRequest(language="en", languages=None, prompt="utils/http.py", vocabulary=("utils/http.py",),
                           trie=None, fp16=False)
    notes = {"plain_redecoded": {"reason": "compression ratio 3.18 > 2.4", "no_repeat_ngram": 5}}
    result = _judge(plain, aware, LanguageChoice("en", "model", None), request, CodeAwareOptions(), notes)
    text = " ".join(text for _, _, text in result.segments)
    assert "into the new module" in text and ".py.py" not in text
    assert result.diagnostics["winner"] == "reconciled"


def test_where_a_sentence_ends_is_the_plain_decodes_to_say() -> None:
    assert reconcile("and the more signal, so navigating away", "and the abortSignal. So navigating away",
                     ["abortSignal"]).text == "and the abortSignal, so navigating away"


def test_a_name_the_code_aware_decode_wrote_as_words_is_written_as_the_name() -> None:
    vocabulary = ["ValueError", "MAX_RETRIES", "billing/charge.py", "None", "Wrap", "--legacy-format",
                  "legacy_format", "--max-workers", "max_workers"]
    assert spelled_as_code(["instead", "of", "a", "value", "error,", "when"], vocabulary) == \
        (["instead", "of", "a", "ValueError,", "when"], frozenset({3}))
    assert spelled_as_code(["raise", "max", "retries", "to", "5"], vocabulary)[0] == ["raise", "MAX_RETRIES", "to", "5"]
    # One-word names are English too; a comma inside the run ends it; a name with symbols a speaker says ("dash
    # dash") or words that say two names are left to restoration.
    for words in ("return none and wrap it", "a value, error", "billing charge py", "drop the legacy format flag",
                  "add a dash dash max workers flag"):
        assert spelled_as_code(words.split(), vocabulary) == (words.split(), frozenset())


def test_a_two_word_name_stands_where_one_of_its_words_was_heard_and_the_other_misheard() -> None:
    vocabulary = ["AuthMiddleware", "parse_token"]
    result = reconcile("and let's off middleware send the 401", "and let auth middleware send the 401", vocabulary)
    assert result.text == "and let's AuthMiddleware send the 401"
    assert [piece.replaced for piece in result.pieces if piece.from_aware] == [("off", "middleware")]
    # Not where neither word was heard, nor for a plain word pair that is not a name of the change.
    assert reconcile("and let's go home send it", "and let auth middleware send it", vocabulary).text == \
        "and let's go home send it"
    assert reconcile("and let's off middleware send it", "and let auth middleware send it", []).text == \
        "and let's off middleware send it"
    # Words both decodes heard stay words: whether they are the name is restoration's to say ("ask not" is English).
    assert reconcile("ask not what your country can do", "ask not what your country can do", ["ask_not"]).text == \
        "ask not what your country can do"


def test_a_name_said_with_a_symbol_heard_as_a_word_stands_over_those_words() -> None:
    """ "C T X dot done" heard as "CTF start done": the primed decode's ctx.Done stands over all three words
    ("start" is the "dot"), for the audio to judge as a name only placed there; a name Whisper ran into the
    next sentence ("ctx.Err.Instead") is split from it."""
    vocabulary = ["internal/worker/pool.go", "Run", "ctx.Done", "ctx.Err"]
    reconciled = reconcile("Run selects on CTF start done and returns CTF start error. Instead of draining it.",
                           "Run selects on ctx.Done and returns ctx.Err.Instead of draining it.", vocabulary)
    assert reconciled.text == "Run selects on ctx.Done and returns ctx.Err. Instead of draining it."
    assert [(p.text, p.replaced, p.alike) for p in reconciled.pieces if p.replaced] == \
        [("ctx.Done", ("CTF", "start", "done"), False), ("ctx.Err.", ("CTF", "start", "error."), False)]
    # Not for a code spelling that is not a name of the change ("the" is no symbol of flag.logger).
    assert reconcile("Remove the flag, the longer has a level", "Remove the flag.logger has a level",
                     ["DEBUG_SQL"]).text == "Remove the flag, the longer has a level"


def test_a_code_spelling_never_spans_a_sentence_end_the_plain_decode_heard() -> None:
    # Whisper left out the space after the full stop: "canceled.Run" is two sentences, not a dotted name.
    assert reconcile("It stops when the context is canceled. Run selects now.",
                     "It stops when the context is canceled.Run selects now.", ["Run"]).text == \
        "It stops when the context is canceled. Run selects now."


def test_a_code_spelling_never_spans_a_pause_the_plain_decode_punctuated() -> None:
    # The primed decode's "loop.So" for "loop, so": no name of the change, so it is a sentence run together.
    assert reconcile("Check ctx.Done in the rolling loop, so shut down does not hang.",
                     "ctx.Done in the polling loop.So shut down does not hang.", ["ctx.Done"]).text == \
        "Check ctx.Done in the rolling loop, so shut down does not hang."
    # A code spelling where the plain decode heard no pause is still taken.
    assert reconcile("Use time dot monotonic for the timeout", "Use time.monotonic for the timeout",
                     ["ctx.Done"]).text == "Use time.monotonic for the timeout"


def test_a_note_decoded_again_from_its_verb_still_ends_where_the_plain_decode_ended_it() -> None:
    heard = _decoded("We're around the rounding bug, so invoices match the ledger.")
    opened = _decoded("Work around the rounding bug so invoices match the ledger")
    assert _ended_as(opened, heard).text == "Work around the rounding bug so invoices match the ledger."
    assert _ended_as(opened, heard).segments[-1][2].endswith("ledger.")
    assert _ended_as(_decoded("Work around it?"), heard).text == "Work around it?"  # its own ending stays
    assert _ended_as(opened, _decoded("We're around the bug")).text == opened.text  # nothing to carry over


@pytest.mark.parametrize(("written", "meant"), [
    ("1,0001 90210 01803", "10001 90210 01803"),  # tiny.en's greedy decode of "one zero zero zero one ..."
    ("issue 1,0245.", "issue 10245."),
    ("1,000,000 users", "1,000,000 users"),  # real thousands separators stay
    ("One, two, three.", "One, two, three."),
    ("3,14", "3,14"),
])
def test_commas_that_cannot_group_thousands_leave_a_digit_string(written: str, meant: str) -> None:
    assert ungrouped(written) == meant
