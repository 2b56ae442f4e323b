"""Bias Whisper's search toward the diff's identifiers: shallow fusion with a token trie ("hotwords").

Each identifier is tokenized as it would be written in a sentence (" fetch_user", and "fetch_user" right after
a "/" or a quote); a decoding hypothesis that has written the first tokens of one gets a logit bonus on the
tokens that continue it. A hypothesis that leaves an identifier half written pays its bonus back, so with beam
search a wrong partial match ("fetch_" then " user") loses to the plain spelling instead of being locked in.
The bonus is small next to the acoustic evidence: it tips near-ties between spellings of the same sounds
("fetch user" / "fetch_user"), it does not make the model write names nobody said (see the tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch
from whisper.decoding import LogitFilter

DEFAULT_BONUS = 1.5  # logits per token of an identifier; chosen by measurement (see the engine's notes)
MAX_IDENTIFIERS = 64  # the first (most salient) identifiers of a large diff; the rest are rarely said
# After these characters an identifier starts without a space: "api/users.py", "`fetch_user`", "(getUserById)".
_OPENERS = ("/", "`", "'", "\"", "(", "[")


@dataclass(frozen=True)
class TokenTrie:
    children: dict[tuple[int, ...], frozenset[int]]  # written prefix -> tokens that continue an identifier
    complete: frozenset[tuple[int, ...]]  # prefixes that are whole identifiers (a match may end there)
    spaced_roots: frozenset[int]  # first tokens of " identifier": may start anywhere
    bare_roots: frozenset[int]  # first tokens of "identifier": only after an opener or at the start
    depth: int = field(default=0)  # the longest identifier, in tokens


def identifier_variants(identifier: str) -> list[tuple[str, bool]]:
    """(text, spaced) spellings of one identifier as it appears in a sentence."""
    return [(" " + identifier, True), (identifier, False)]


def build_trie(identifiers: Iterable[str], tokenizer: Any) -> TokenTrie:
    children: dict[tuple[int, ...], set[int]] = {}
    complete: set[tuple[int, ...]] = set()
    roots: dict[bool, set[int]] = {True: set(), False: set()}
    depth = 0
    for identifier in list(dict.fromkeys(i.strip() for i in identifiers if i.strip()))[:MAX_IDENTIFIERS]:
        for text, spaced in identifier_variants(identifier):
            tokens = tuple(tokenizer.encode(text))
            if not tokens:
                continue
            roots[spaced].add(tokens[0])
            for end in range(1, len(tokens)):
                children.setdefault(tokens[:end], set()).add(tokens[end])
            complete.add(tokens)
            depth = max(depth, len(tokens))
    return TokenTrie({k: frozenset(v) for k, v in children.items()}, frozenset(complete),
                     frozenset(roots[True]), frozenset(roots[False]), depth)


def _partial_match(trie: TokenTrie, written: Sequence[int]) -> tuple[int, ...] | None:
    """The longest tail of `written` that is an unfinished identifier prefix (None: not inside one)."""
    for length in range(min(trie.depth, len(written)), 0, -1):
        tail = tuple(written[-length:])
        if tail in trie.children:
            return tail
    return None


def written_text(tokens: torch.Tensor, sample_begin: int, text_end: int) -> list[list[int]]:
    """The text tokens each hypothesis of `tokens` (batch, length) has written from `sample_begin` on: what a
    logit filter reads. Ids from `text_end` on (end-of-text, timestamps) are left out."""
    return [[token for token in row if token < text_end] for row in tokens[:, sample_begin:].tolist()]


class TrieBias(LogitFilter):  # type: ignore[misc]  # whisper is untyped
    """A Whisper logit filter: +bonus on tokens continuing an identifier, the bonus so far paid back by the
    tokens that abandon one."""

    def __init__(self, trie: TokenTrie, tokenizer: Any, sample_begin: int, bonus: float,
                 root_bonus: float) -> None:
        self.trie = trie
        self.tokenizer = tokenizer
        self.sample_begin = sample_begin  # where the decoded text starts in each row of `tokens`
        self.bonus = bonus  # on a token that continues an identifier already begun
        self.root_bonus = root_bonus  # on a token that begins one
        self.text_tokens_end = int(tokenizer.eot)  # ids from here on are special or timestamp tokens
        self._opens: dict[int, bool] = {}  # token -> whether its text ends in an opener

    def _after_opener(self, written: list[int]) -> bool:
        if not written:
            return True
        last = written[-1]
        if last not in self._opens:
            self._opens[last] = str(self.tokenizer.decode([last])).endswith(_OPENERS)
        return self._opens[last]

    def apply(self, logits: torch.Tensor, tokens: torch.Tensor) -> None:
        for row, written in enumerate(written_text(tokens, self.sample_begin, self.text_tokens_end)):
            self._apply_row(logits[row], written)

    def _apply_row(self, logits: torch.Tensor, written: list[int]) -> None:
        partial = _partial_match(self.trie, written)
        continuing: set[int] = set(self.trie.children[partial]) if partial else set()
        earned = self.root_bonus + self.bonus * (len(partial) - 1) if partial else 0.0
        if earned and partial not in self.trie.complete:
            # Inside an unfinished identifier: leaving it gives back what entering it earned.
            keep = logits[list(continuing)].clone()
            logits -= earned
            logits[list(continuing)] = keep
        if continuing:
            logits[list(continuing)] += self.bonus
        if self.root_bonus:
            starts = set(self.trie.spaced_roots)
            if self._after_opener(written):
                starts |= self.trie.bare_roots
            logits[list(starts - continuing)] += self.root_bonus

