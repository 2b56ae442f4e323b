"""Vocabulary rescoring: which rewrites are tried, and how the model's scores decide among them."""

from __future__ import annotations

from collections.abc import Sequence

from gitvoice.transcription.reconcile import reconcile
from gitvoice.transcription.rescoring import (
    RescoreOptions,
    applied,
    chain_pieces,
    confirmed_substitutions,
    extension_runs,
    identifier_forms,
    issue_runs,
    opening_rewrites,
    rescore,
    rewrites,
)
from gitvoice.transcription.sentence_scores import Scorer


def tried(text: str, vocabulary: list[str]) -> set[tuple[str, str]]:
    words = text.split()
    return {(" ".join(words[r.first : r.stop]), r.text) for r in rewrites(words, vocabulary, set())}


def test_a_name_is_tried_over_the_words_that_look_like_it() -> None:
    candidates = tried("A great limited type of token market and rap", ["RateLimiter", "TokenBucket"])
    assert ("great limited", "RateLimiter") in candidates
    assert ("great limited", "rate limiter") in candidates
    assert ("token market", "TokenBucket") in candidates
    assert ("the user by digglyd", "getUserById") in tried("Replace the user by digglyd", ["getUserById"])
    assert ("V1bql", "DEBUG_SQL") in tried("Remove the V1bql flag", ["DEBUG_SQL"])


def test_names_already_written_and_exact_spellings_are_left_alone() -> None:
    assert tried("Use RateLimiter here", ["RateLimiter"]) == set()
    assert tried("the rate limiter here", ["RateLimiter"]) == set()  # restoration judges exact spellings
    # A name of the change written is never rewritten, not even as its sibling.
    candidates = tried("call fetch_user now", ["fetch_user", "fetch_users"])
    assert not any("fetch_user" in heard.split() for heard, _ in candidates)


def test_the_names_own_words_but_for_an_ending_need_the_audio_to_prefer_the_name() -> None:
    """ "deleted users" beside delete_user, "ask not" beside AskNote: English is as likely said as the name, so
    the audio must prefer the name (rescoring's usual margin lets a name lose by up to 2 nats)."""
    words = ["where", "deleted", "users", "showed", "up"]
    english = _sentences({"where deleted users showed up": 0.0, "where delete_user showed up": -1.3})
    assert rescore(words, [0] * 5, ["delete_user"], english)[0] == words
    # A small model drops endings: "set, result runs" was setResults, said, and the audio says so.
    words = ["the", "set,", "result", "runs"]
    said = _sentences({"the set, result runs": 0.0, "the setResults runs": 3.3, "the setTimeout runs": 0.5})
    assert rescore(words, [0] * 4, ["setResults", "setTimeout"], said)[0] == ["the", "setResults", "runs"]
    # Words that are not the name's own may lose by up to 2 nats ("token market" for TokenBucket).
    assert ("delete it", "delete_user") in tried("where delete it showed up", ["delete_user"])


def test_a_piece_of_a_name_said_in_parts_is_left_to_restoration() -> None:
    # "ci dot yammel" is ci.yml said in parts: writing the name over "yammel" would give "ci dot ci.yml".
    assert not any(heard == "yammel" for heard, _ in tried("in ci dot yammel matrons", ["ci.yml"]))
    assert not any(heard == "yammel" for heard, _ in tried("the yammel slash config", ["ci.yml"]))
    assert ("yammel", "ci.yml") in tried("fix the yammel matrons", ["ci.yml"])


def test_a_run_never_spans_two_sentences() -> None:
    assert ("great. Limited", "RateLimiter") not in tried("A great. Limited type", ["RateLimiter"])


def test_forms() -> None:
    assert identifier_forms("MAX_BATCH_SIZE") == ["MAX_BATCH_SIZE", "max batch size"]
    assert identifier_forms("getUserById") == ["getUserById", "get user by id"]
    assert identifier_forms("api/users.py") == ["api/users.py"]
    assert identifier_forms("--dry-run") == ["--dry-run"]


def _scorer(preferred: dict[str, float]) -> tuple[list[list[str]], Scorer]:
    """A stand-in for Whisper's decoder: a sentence's score is the sum of the bonuses of the words it contains."""
    calls: list[list[str]] = []

    def score(sentences: Sequence[str]) -> list[float]:
        calls.append(list(sentences))
        return [sum(bonus for word, bonus in preferred.items() if word in s) for s in sentences]

    return calls, score


def test_the_likeliest_rewrite_wins_by_the_margin_and_keeps_its_segment() -> None:
    words = ["A", "great", "limited", "type.", "Wrap", "it"]
    calls, score = _scorer({"RateLimiter": 3.0, "rate limiter": 2.0})
    result, owners, notes = rescore(words, [0, 0, 0, 0, 1, 1], ["RateLimiter"], score)
    assert result == ["A", "RateLimiter", "type.", "Wrap", "it"]
    assert owners == [0, 0, 0, 1, 1]
    assert notes == [{"identifier": "RateLimiter", "heard": "great limited", "written": "RateLimiter", "gain": 3.0}]
    assert len(calls) == 1  # one batch: the sentence as heard and every rewrite


def test_a_rewrite_far_below_its_margin_is_not_scored_again_in_a_later_round() -> None:
    """Each round scores the sentence with every remaining candidate; one the audio put far below what it needed
    is left out of the next rounds, unless it sits beside the rewrite just made (its context changed)."""
    words = ["Use", "great", "limited", "in", "the", "fetch", "use", "path", "and", "the", "toke", "in", "bucket"]
    calls, score = _scorer({"RateLimiter": 3.0, "TokenBucket": 2.0, "fetch_user": -30.0, "fetch user": -30.0})
    result, _, notes = rescore(words, [0] * len(words), ["RateLimiter", "TokenBucket", "fetch_user"], score)
    assert result[:7] == ["Use", "RateLimiter", "in", "the", "fetch", "use", "path"] and "TokenBucket" in result
    assert [note["identifier"] for note in notes] == ["RateLimiter", "TokenBucket"]
    first, *later = calls
    assert any("fetch_user" in sentence for sentence in first)
    assert not any("fetch_user" in sentence for batch in later for sentence in batch)


def test_a_hopeless_rewrite_beside_a_new_name_is_scored_again() -> None:
    words = ["great", "limited", "fetch", "use", "path"]
    calls, score = _scorer({"RateLimiter": 3.0, "fetch_user": -30.0, "fetch user": -30.0})
    rescore(words, [0] * len(words), ["RateLimiter", "fetch_user"], score)
    assert len(calls) == 2
    assert any("fetch_user" in sentence for sentence in calls[1])


def test_an_issue_of_the_diff_is_tried_where_it_may_have_been_said() -> None:
    """tiny.en's hearings of issue numbers on the corpus: "issue for the two" (forty two), "to the shoot 256"
    (to issue two fifty six), "see you tomorrow free" (see issue two oh three)."""
    def tried(text: str, number: str) -> list[str]:
        words = text.split()
        return [" ".join(applied(words, r)) for r in issue_runs(words, number)]

    assert "This fixes issue 42." in tried("This fixes issue for the two.", "42")
    assert "Follow up to issue 256. Also" in tried("Follow up to the shoot 256. Also", "256")
    assert "It splits the rows, see issue 203." in tried("It splits the rows, see you tomorrow free.", "203")
    # espeak-ng's en-gb voice, live: "see issue two oh four" heard as five words.
    assert "in cli/log.py, see issue 204." in tried("in cli/log.py, see you soon to mow for.", "204")
    assert tried("Fixes issue 89 and the rest", "89") == []  # heard: restoration writes #89
    assert tried("Move the helpers into a new module.", "42") == []  # nowhere an issue could have been said


def test_an_issue_is_written_with_its_hash_where_the_audio_prefers_it() -> None:
    words = ["This", "fixes", "issue", "for", "the", "two."]
    _, score = _scorer({"issue 42.": 1.0})
    result, _, notes = rescore(words, [0] * len(words), ["#42"], score)
    assert result == ["This", "fixes", "issue", "#42."]
    assert notes[0]["identifier"] == "#42" and notes[0]["written"] == "#42."


def test_a_flag_is_tried_by_its_dashes_said_as_words() -> None:
    """tiny.en heard "dash dash since" as "mash-shash-shin": as letters "since" is a third of that run, said
    with its dashes it is as long and alike."""
    words = ["Support", "her", "mash-shash-shin", "option", "on", "the", "log", "command"]
    tried = [(r.first, r.stop, r.text) for r in rewrites(words, ["--since"], set())]
    assert (2, 3, "--since") in tried
    assert rewrites(["Add", "a", "dash", "v", "option"], ["-v", "--db"], set()) == []  # too short to try


def test_a_word_mangled_like_code_may_be_the_name_said_and_needs_the_audio_to_prefer_it() -> None:
    """tiny.en wrote "src slash lib dot rs" as "RZ-Sashley.us" and "os dot environ" as "s.n.myrind": words shaped
    like code that no name of the change is. A path is compared with them as said; the audio must prefer the
    name, not merely tolerate it."""
    words = ["In", "this", "RZ-Sashley.us", "make", "parse_config", "return"]
    tried = [(r.first, r.stop, r.text, r.over_code) for r in rewrites(words, ["src/lib.rs", "parse_config"], set())]
    assert (1, 3, "src/lib.rs", True) in tried
    assert not any(first <= 4 < stop for first, stop, _, _ in tried)  # parse_config, a name of the change, stays
    for gain, kept in ((0.5, False), (2.0, True)):
        _, score = _scorer({"src/lib.rs": gain})
        result, _, _ = rescore(words, [0] * len(words), ["src/lib.rs"], score)
        assert ("src/lib.rs" in result) is kept


def test_a_file_is_tried_where_its_extension_was_said_though_its_letters_were_lost() -> None:
    """path01 of the corpus: "utils slash H T T P dot pie" heard "you dint-h-d not high", "net slash retry dot
    pie" heard "Next, reach-right not high.": no letters alike, but "dot" and the extension are there."""
    text = "Move the helpers from you dint-h-d not high into the new module. Next, reach-right not high."
    words = text.split(" ")
    runs = {(" ".join(words[r.first : r.stop]), r.text, r.unlike) for r in extension_runs(words, "utils/http.py")}
    assert ("you dint-h-d not high", "utils/http.py", True) in runs
    assert ("Next, reach-right not high.", "utils/http.py.", True) in runs
    assert not any(heard.startswith(("module.", "new module")) for heard, _, _ in runs)  # never across a sentence
    assert extension_runs(words, "Makefile") == []  # no extension: nothing to find it by
    assert extension_runs(["it", "is", "not", "bad"], "utils/http.py") != []  # the audio decides, by its margin
    assert extension_runs(["it", "is", "not", "bad"], "utils/http.py", frozenset({"bad"})) == []
    for gain, kept in ((0.5, False), (2.0, True)):
        _, score = _scorer({"utils/http.py": gain})
        result, _, _ = rescore(words, [0] * len(words), ["utils/http.py"], score)
        assert ("utils/http.py" in result) is kept


def test_a_path_said_with_its_symbols_is_tried_over_the_whole_run() -> None:
    """path07: "Rename scripts slash deploy dot sh" heard "Renamed crip-slash-d-loy.sh-d-...", a chain of
    hyphens tiny.en writes for names said in parts: its pieces are words, and a run with the path's own "slash"
    inside is compared with the path as said."""
    chain = "crip-slash-d-loy.sh-d-crip-slash-release.sh-n-up-date"
    assert chain_pieces(chain) == ["crip", "slash", "d", "loy.sh", "d", "crip", "slash", "release.sh", "n", "up",
                                   "date"]
    assert chain_pieces("up-to-date") == ["up-to-date"]
    assert chain_pieces("dash-") == ["dash-"]
    candidates = tried("Renamed crip slash d loy.sh d scripts/release.sh", ["scripts/deploy.sh"])
    assert ("crip slash d loy.sh", "scripts/deploy.sh") in candidates
    # A run that begins or ends at a spoken symbol is a piece of a name: restoration's.
    assert not any(heard.split()[0] == "slash" or heard.split()[-1] == "slash" for heard, _ in candidates)
    # Symbols inside a run only for a name that has them.
    assert not any("slash" in heard for heard, _ in tried("the crip slash d loy data", ["ScriptDeploy"]))


def test_english_words_are_not_compared_with_a_dotted_name_as_said() -> None:
    """ "flag, the longer" has the letters of "s dot logger" but said "flag, the logger": only a run that looks
    like a mangled name is compared with the name's symbols said."""
    words = ["Remove", "the", "DEBUG_SQL", "flag,", "the", "longer", "already", "has", "a", "level"]
    tried = [(r.first, r.stop) for r in rewrites(words, ["DEBUG_SQL", "s.logger"], set()) if r.identifier == "s.logger"]
    assert tried and (3, 6) not in tried  # "longer" alone is tried as the name, as it always was


def test_a_rewrite_under_the_margin_changes_nothing() -> None:
    words = ["A", "great", "limited", "type"]
    _, score = _scorer({"RateLimiter": 0.5})
    result, _, notes = rescore(words, [0] * 4, ["RateLimiter"], score, RescoreOptions(margin=1.0))
    assert result == words and notes == []


def test_a_rewrite_the_audio_dislikes_a_little_is_kept_and_more_is_not() -> None:
    """tiny.en's scores favour the words it wrote: names that were said score up to 2 nats below them
    ("token market" for TokenBucket), names nobody said 9 nats or more."""
    words = ["A", "type", "of", "token", "market."]
    kept = _sentences({"A type of token market.": 0.0, "A type of TokenBucket.": -1.9})
    assert rescore(words, [0] * 5, ["TokenBucket"], kept)[0] == ["A", "type", "of", "TokenBucket."]
    refused = _sentences({"A type of token market.": 0.0, "A type of TokenBucket.": -2.1})
    assert rescore(words, [0] * 5, ["TokenBucket"], refused)[0] == words


def test_a_run_that_would_swallow_more_speech_than_the_name_is_not_tried() -> None:
    # "empty car-tapped" is "empty cart at": writing EmptyCart there would lose the "at".
    assert not any(heard == "empty car-tapped" for heard, _ in tried("handle an empty car-tapped checkout",
                                                                      ["EmptyCart"]))


def opening_tried(text: str) -> set[tuple[str, str]]:
    words = text.split()
    return {(" ".join(words[r.first : r.stop]), r.text) for r in opening_rewrites(words)}


def test_a_first_word_is_tried_as_the_opening_verbs_it_looks_like() -> None:
    assert ("and", "Add") in opening_tried("and a validate email helper")
    assert ("Rez", "Raise") in opening_tried("Rez PaymentDeclined instead")
    assert ("Up rate", "Upgrade") in opening_tried("Up rate the base image")
    assert ("Class", "Pass") in opening_tried("Class dash dash no cache")


def test_an_opening_verb_or_a_name_is_never_replaced() -> None:
    for text in ("Drop the column", "Renamed the flag", "Fixes issue 4", "Updating docs", "fetch_user now works",
                 "A", ""):
        assert opening_tried(text) == set(), text
    # Two words are tried as one verb only when they have about as many letters as it.
    assert all(heard == "really" for heard, _ in opening_tried("really monsement to handleSubmit"))


def test_the_opening_verb_is_rescored_only_at_the_start_of_the_note() -> None:
    words = ["Rez", "PaymentDeclined", "instead."]
    _, score = _scorer({"Raise": 2.0})
    assert rescore(words, [0, 0, 0], ["PaymentDeclined"], score)[0] == words
    result, owners, notes = rescore(words, [0, 0, 0], ["PaymentDeclined"], score, opening=True)
    assert result == ["Raise", "PaymentDeclined", "instead."] and owners == [0, 0, 0]
    assert notes == [{"identifier": "raise", "heard": "Rez", "written": "Raise", "gain": 2.0}]


def _sentences(scores: dict[str, float]) -> Scorer:
    """A stand-in for Whisper's decoder that knows some sentences' scores; any other sentence scores -100."""
    return lambda sentences: [scores.get(s, -100.0) for s in sentences]


def test_a_small_word_beside_the_name_is_not_swallowed_when_the_audio_barely_prefers_it() -> None:
    words = ["Okay,", "so,", "mack", "such", "size", "was", "ignored."]
    score = _sentences({"Okay, so, mack such size was ignored.": 0.0,
                        "Okay, MAX_BATCH_SIZE was ignored.": 4.5,  # "so" saved: a little likelier
                        "Okay, so, MAX_BATCH_SIZE was ignored.": 4.0})
    result, _, notes = rescore(words, [0] * 7, ["MAX_BATCH_SIZE"], score)
    assert result == ["Okay,", "so,", "MAX_BATCH_SIZE", "was", "ignored."], notes


def test_a_name_scored_as_its_words_is_written_as_the_name() -> None:
    words = ["really", "monsement", "to", "handleSubmit."]
    score = _sentences({"really monsement to handleSubmit.": 0.0, "really on submit to handleSubmit.": 5.0})
    result, _, notes = rescore(words, [0] * 4, ["onSubmit", "handleSubmit"], score)
    assert result == ["really", "onSubmit", "to", "handleSubmit."]
    assert notes[0]["written"] == "onSubmit" and notes[0]["gain"] == 5.0


def test_words_around_a_part_said_right_must_stand_for_the_other_parts() -> None:
    candidates = tried("ask what your country can do for you", ["country_id", "ask_not_3"])
    assert ("country can", "country_id") in candidates  # "can" may be a mis-heard "id"
    assert ("ask what", "ask_not_3") in candidates
    assert not any(heard in ("your country", "country", "you, ask what") for heard, _ in candidates)


def test_files_and_dotted_names_are_tried_only_as_themselves() -> None:
    assert identifier_forms("settings.toml") == ["settings.toml"]
    assert identifier_forms("HttpClient.send") == ["HttpClient.send"]


def test_a_substitution_stays_only_where_the_audio_prefers_it() -> None:
    # The primed decode lost its way after "handle_webhook" and wrote a name of the diff over "and log.".
    reconciled = reconcile("Guard against a None response in handle webhook and log.",
                           "Guard against a None response in handle_webhook getLogger.",
                           ["handle_webhook", "getLogger"])
    assert reconciled.text.endswith("handle_webhook getLogger.")  # by its letters, "get logger" is "and log"
    assert [piece.replaced for piece in reconciled.pieces if piece.replaced] == [("and", "log.")]
    _calls, audio_hears_log = _scorer({"and log": 8.0})
    pieces, judged = confirmed_substitutions(reconciled.pieces, audio_hears_log)
    assert " ".join(p.text for p in pieces) == "Guard against a None response in handle_webhook and log."
    assert judged == [{"written": "getLogger.", "heard": "and log.", "gain": -8.0, "kept": False}]
    _calls, audio_hears_the_name = _scorer({"getLogger": 5.0})
    pieces, judged = confirmed_substitutions(reconciled.pieces, audio_hears_the_name)
    assert " ".join(p.text for p in pieces) == reconciled.text and judged[0]["kept"]


def test_spellings_of_words_both_decodes_heard_are_not_judged() -> None:
    reconciled = reconcile("rename get user by ID", "rename getUserById", ["getUserById"])
    calls, score = _scorer({})
    pieces, judged = confirmed_substitutions(reconciled.pieces, score)
    assert " ".join(p.text for p in pieces) == "rename getUserById" and judged == [] and calls == []


def test_a_substitution_the_audio_barely_disfavours_is_kept() -> None:
    # The primed decode heard the name; tiny.en's sentence scores are loose by a few nats.
    reconciled = reconcile("call it from creator count first", "call it from create_account first",
                           ["create_account"])
    _calls, score = _scorer({"creator count": 1.0})
    pieces, judged = confirmed_substitutions(reconciled.pieces, score)
    assert " ".join(p.text for p in pieces) == "call it from create_account first" and judged[0]["kept"]


def test_a_name_only_placed_over_other_words_needs_the_audio_to_prefer_it() -> None:
    # "ctx dot done" heard as "ZDX.com": no letters alike, but the primed decode wrote a name of the change there.
    vocabulary = ["ctx.Done", "time.Sleep"]
    reconciled = reconcile("Check ZDX.com in the rolling loop.", "Check ctx.Done in the polling loop.", vocabulary)
    assert [(p.text, p.alike) for p in reconciled.pieces if p.replaced] == [("ctx.Done", False)]
    _calls, barely = _scorer({"ctx.Done": 0.5})  # enough for a look-alike, not for a name only placed there
    pieces, judged = confirmed_substitutions(reconciled.pieces, barely, vocabulary=vocabulary)
    assert " ".join(p.text for p in pieces) == "Check ZDX.com in the rolling loop." and not judged[0]["kept"]
    _calls, clearly = _scorer({"ctx.Done": 15.0})
    pieces, judged = confirmed_substitutions(reconciled.pieces, clearly, vocabulary=vocabulary)
    assert " ".join(p.text for p in pieces) == "Check ctx.Done in the rolling loop."
    assert judged == [{"written": "ctx.Done", "heard": "ZDX.com", "gain": 15.0, "kept": True}]


def test_a_name_placed_where_the_audio_prefers_another_name_is_not_written() -> None:
    # The primed decode wrote a sibling of the name said; the audio likes it better than the words heard, but
    # likes another name of the change better still: which one was said is not clear, so neither is written.
    vocabulary = ["ctx.Err", "ctx.Done", "time.Sleep"]
    reconciled = reconcile("Check ZDX.com in the rolling loop.", "Check ctx.Err in the polling loop.", vocabulary)
    _calls, score = _scorer({"ctx.Err": 10.0, "ctx.Done": 15.0})
    pieces, judged = confirmed_substitutions(reconciled.pieces, score, vocabulary=vocabulary)
    assert " ".join(p.text for p in pieces) == "Check ZDX.com in the rolling loop."
    assert judged == [{"written": "ctx.Err", "heard": "ZDX.com", "gain": 10.0, "likelier": "ctx.Done",
                       "kept": False}]
    _calls, score = _scorer({"ctx.Err": 15.0, "ctx.Done": 10.0})
    pieces, judged = confirmed_substitutions(reconciled.pieces, score, vocabulary=vocabulary)
    assert " ".join(p.text for p in pieces) == "Check ctx.Err in the rolling loop." and judged[0]["kept"]
    # A look-alike substitution is judged as written: only placed names are tried as others.
    reconciled = reconcile("and switch your fish to it", "and switch useFetch to it", ["useFetch", "useMemo"])
    calls, score = _scorer({"useMemo": 9.0})
    pieces, _judged = confirmed_substitutions(reconciled.pieces, score, vocabulary=["useFetch", "useMemo"])
    assert " ".join(p.text for p in pieces) == "and switch useFetch to it" and len(calls[0]) == 2
