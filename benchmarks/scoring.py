"""Scores for the understanding benchmark: WER, identifiers kept verbatim, and the failure modes seen in
practice (a dropped clause, a repetition loop, words invented before the speech starts, the wrong language).

Pure functions; whisper's text normalizer is imported lazily, so importing this module loads no torch.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

Op = Literal["equal", "sub", "del", "ins"]

CLAUSE_WORDS = 3  # this many consecutive reference words deleted = a lost clause
LOOP_PHRASE_WORDS = (2, 6)  # a phrase of 2-6 words repeated LOOP_PHRASE_REPEATS times back to back
LOOP_PHRASE_REPEATS = 3
LOOP_TOKEN_REPEATS = 4  # "zero zero zero" is a real digit string; four of a kind is a loop
NON_LATIN_SHARE = 0.2


@lru_cache(maxsize=1)
def _normalizer() -> Any:
    from whisper.normalizers import EnglishTextNormalizer

    return EnglishTextNormalizer()


_NUMBER_RE = re.compile(r"\d+(?:\.\d+)*")


def _digits(token: str) -> list[str]:
    # Whisper's normalizer groups spelled digits unpredictably ("one zero zero zero one nine oh two" becomes one
    # token, "10001 90210" two, "issue ten twenty four" gives "1024"): compared digit by digit, grouping is free.
    if _NUMBER_RE.fullmatch(token) and len(token) > 1:
        return ["point" if char == "." else char for char in token]
    return [token]


def normalized_words(text: str) -> list[str]:
    """Whisper's English normalization (lowercase, no punctuation, numbers as digits, fillers dropped), with
    numbers split into single digits ("3.11" -> 3 point 1 1)."""
    return [word for token in str(_normalizer()(text)).split() for word in _digits(token)]


@dataclass(frozen=True)
class Step:
    op: Op
    ref: int | None  # index into the reference words (None for an insertion)
    hyp: int | None  # index into the hypothesis words (None for a deletion)


def align(ref: Sequence[str], hyp: Sequence[str]) -> list[Step]:
    """A minimum-edit alignment (Levenshtein, unit costs). Ties prefer a match, then a substitution, so
    deletions only appear where the hypothesis really has nothing for a reference word."""
    n, m = len(ref), len(hyp)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = i
    for j in range(1, m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            diagonal = cost[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1])
            cost[i][j] = min(diagonal, cost[i - 1][j] + 1, cost[i][j - 1] + 1)
    steps: list[Step] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and cost[i][j] == cost[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            steps.append(Step("equal" if ref[i - 1] == hyp[j - 1] else "sub", i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i > 0 and cost[i][j] == cost[i - 1][j] + 1:
            steps.append(Step("del", i - 1, None))
            i -= 1
        else:
            steps.append(Step("ins", None, j - 1))
            j -= 1
    steps.reverse()
    return steps


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Edits (substitutions + deletions + insertions) per normalized reference word."""
    ref, hyp = normalized_words(reference), normalized_words(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return sum(step.op != "equal" for step in align(ref, hyp)) / len(ref)


def edit_counts(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edits, reference words): to pool WER over clips by words rather than averaging per clip."""
    ref, hyp = normalized_words(reference), normalized_words(hypothesis)
    return sum(step.op != "equal" for step in align(ref, hyp)), len(ref)


def _identifier_pattern(identifier: str) -> re.Pattern[str]:
    # Word-ish boundaries: `fetch_user` must not match inside `prefetch_user`, `--out` not inside `--output`,
    # `3.11` not inside `3.11.5`; a sentence's full stop or comma right after it is fine.
    return re.compile(r"(?<![\w\-/])(?<!\w\.)" + re.escape(identifier) + r"(?![\w\-/])(?!\.\w)")


def identifiers_verbatim(transcript: str, identifiers: Iterable[str]) -> tuple[int, int]:
    """(found, total): identifiers that occur exactly, case-sensitively, as whole tokens of the transcript."""
    wanted = [identifier for identifier in identifiers if identifier]
    found = sum(1 for identifier in wanted if _identifier_pattern(identifier).search(transcript))
    return found, len(wanted)


@dataclass(frozen=True)
class LostWords:
    count: int  # reference words with no counterpart in the hypothesis (deletions)
    words: tuple[str, ...]
    longest_run: int  # longest run of consecutive deleted reference words
    clause_lost: bool  # longest_run >= CLAUSE_WORDS: a phrase or clause vanished, not a misheard word


def lost_words(reference: str, hypothesis: str) -> LostWords:
    ref, hyp = normalized_words(reference), normalized_words(hypothesis)
    deleted = sorted(step.ref for step in align(ref, hyp) if step.op == "del" and step.ref is not None)
    longest = run = 0
    previous = -2
    for index in deleted:
        run = run + 1 if index == previous + 1 else 1
        longest = max(longest, run)
        previous = index
    return LostWords(len(deleted), tuple(ref[i] for i in deleted), longest, longest >= CLAUSE_WORDS)


def _loop_tokens(text: str) -> list[str]:
    # Split at hyphens and dots too: tiny.en loops inside one "word" ("Frah-per-per-per-per", "N-T-N-T-N-T").
    return re.findall(r"[\w']+", text.lower())


def is_loop(text: str) -> bool:
    """A phrase of 2-6 words said 3 times back to back, or one token 4 times: Whisper's repetition loop."""
    tokens = _loop_tokens(text)
    run = 1
    for previous, token in itertools.pairwise(tokens):
        run = run + 1 if token == previous else 1
        if run >= LOOP_TOKEN_REPEATS:
            return True
    low, high = LOOP_PHRASE_WORDS
    for size in range(low, high + 1):
        span = size * LOOP_PHRASE_REPEATS
        for start in range(len(tokens) - span + 1):
            phrase = tokens[start : start + size]
            if all(tokens[start + k * size : start + (k + 1) * size] == phrase for k in range(1, LOOP_PHRASE_REPEATS)):
                return True
    return False


def invented_leading_tokens(reference: str, hypothesis: str) -> list[str]:
    """Hypothesis words before its first word aligned to the reference that the reference never says, like
    the "3" of "3. Retry dispatch": Whisper continuing a numbered list or a prompt instead of listening."""
    ref, hyp = normalized_words(reference), normalized_words(hypothesis)
    known = set(ref)
    leading: list[str] = []
    for step in align(ref, hyp):
        if step.op in ("equal", "sub"):
            break
        if step.op == "ins" and step.hyp is not None:
            leading.append(hyp[step.hyp])
    return [word for word in leading if word not in known]


def non_latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    other = sum(1 for c in letters if not unicodedata.name(c, "").startswith("LATIN"))
    return other / len(letters)


def is_wrong_language(text: str, allowed: Collection[str] = frozenset({"en"}), detected: str | None = None) -> bool:
    """True when Whisper reported a language outside `allowed`, or more than 20% of the letters are not
    Latin script (Thai, Cyrillic, CJK...: what a multilingual model writes when it mis-detects English)."""
    if detected and detected not in allowed:
        return True
    return non_latin_share(text) > NON_LATIN_SHARE
