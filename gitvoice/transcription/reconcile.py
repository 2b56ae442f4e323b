"""Reconcile the plain decode of a chunk with its code-aware decode: the code-aware one may change spellings
("get user by ID" -> "getUserById"), never the content.

A small model primed with identifiers drops clauses ("Rename getUserById" for "Rename getUserById to fetch_user
and update the callers"), skips a word ("getUserById fetch_user"), or invents one ("3. Retry dispatch"). The
plain decode has none of these faults, so it decides *what* was said and the code-aware decode only *how* it
is written: both are reduced to spoken words (`fetch_user` -> "fetch user", `api/users.py` -> "api slash users
dot py"), aligned, and a code-aware token is taken only where every word it stands for was heard by the plain
decode at that place. Everything the plain decode heard is kept; everything only the code-aware one heard is
dropped.

Pure text, no model: the engine calls `reconcile` once per chunk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

# Words a speaker says for a symbol inside an identifier; whether they say it or not, the spelling is the same,
# so these units may go unmatched ("fetch user" for fetch_user, "api users py" for api/users.py).
_SYMBOL_WORDS = {"/": "slash", ".": "dot", "_": "underscore", "-": "dash", "#": "number", "@": "at",
                 ":": "colon", "\\": "backslash"}
# Spoken variants that write the same: homophones Whisper uses for file extensions and symbol names, and number
# words (the code-aware decode writes "3" where the plain one writes "three").
_CANONICAL = {
    "pie": "py", "pi": "py", "hash": "number", "pound": "number", "point": "dot", "period": "dot",
    "hyphen": "dash", "minus": "dash", "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11",
    "twelve": "12", "twenty": "20", "hundred": "100",
}
# Between two letters: a case change or digit boundary starts a new spoken word (getUserById, HTTPClient, v2).
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])")
# Code spellings: snake_case, camelCase, dotted names, paths (a full stop at the end of a word is not one).
_CODE_SHAPE = re.compile(r"[A-Za-z0-9]_[A-Za-z0-9]|[a-z][A-Z]|[A-Za-z0-9][./\\][A-Za-z0-9_]|^--?[A-Za-z]|#[0-9]")
_EDGE_PUNCT = "\"'`()[]{}<>,;:!?.*"
CLOSING_PUNCT = ",.;:!?"  # what may end a word of a sentence
_PAUSES = tuple(CLOSING_PUNCT)  # a word the plain decode ended with these was followed by a pause
_HYPHENATED = re.compile(r"[A-Za-z]-[A-Za-z]")

_SNAP_RATIO = 0.75  # letters in common (difflib ratio) for a code-aware token to count as a diff identifier
SUBSTITUTE = "known"  # whose word to keep where the decodes heard different words (see _claims)
# Letters in common (difflib ratio) between a substitute's words and the plain words they replace: the best
# pair and the mean ("fetch"/"fish" 0.44, "use"/"your" 0.29; "table"/"was" 0.25, "tsx"/"recalculated" 0.13).
_SUBSTITUTE_LIKENESS = 0.4
_SUBSTITUTE_MEAN_LIKENESS = 0.3

# Alignment costs: an exact word costs nothing; a near spelling ("users"/"user", "tommel"/"toml") a little; a
# symbol word the speaker did not say little; anything else is an edit.
_COST_FUZZY = 0.4
_COST_OPTIONAL = 0.3
_COST_EDIT = 1.0
_COST_MERGE = 0.1  # "webhook" against "web hook": one word written as two
# Two different words: dearer than an edit, so that "by ID to" against "ID" aligns the two IDs instead of
# substituting word for word; cheaper than two edits, so that a misheard word still lines up with its place.
_COST_SUB = 1.5


@dataclass(frozen=True)
class Unit:
    word: str  # canonical spoken word: lowercase, no punctuation, number words as digits
    token: int  # index of the whitespace token it comes from
    optional: bool  # a symbol word (slash, dot): the speaker may or may not have said it


@dataclass(frozen=True)
class Piece:
    text: str  # a whitespace token of the reconciled text
    anchor: int  # index of the plain token it stands at (or replaces): the engine's segment of that token
    from_aware: bool  # spelled by the code-aware decode
    # The plain tokens it stands for, when it says words the plain decode heard otherwise ("getLogger" over
    # "and log."): a substitution, which the audio can confirm or refuse (codeaware.py). Empty otherwise.
    replaced: tuple[str, ...] = ()
    # A substitution whose words look like those it replaces ("useFetch" for "your fish"); False: a diff
    # identifier only placed where they were ("ctx.Done" for "ZDX.com"), which the audio must clearly prefer.
    alike: bool = True


@dataclass(frozen=True)
class Reconciled:
    pieces: tuple[Piece, ...]  # the reconciled text, token by token
    aware_taken: int  # code-aware tokens used in place of plain words
    aware_dropped: tuple[str, ...]  # code-aware tokens no plain word supports (invented, or misheard)

    @property
    def text(self) -> str:
        return " ".join(piece.text for piece in self.pieces)


def canonical(word: str) -> str:
    word = word.lower()
    return _CANONICAL.get(word, word)


def spoken_units(token: str) -> list[tuple[str, bool]]:
    """The words a speaker says for one written token, with whether each is an optional symbol word:
    "fetch_user," -> fetch, (underscore), user; "api/users.py" -> api, (slash), users, (dot), py."""
    core = token.strip(_EDGE_PUNCT)
    units: list[tuple[str, bool]] = []
    for part in re.split(r"([/._\-#@:\\])", core):
        if not part:
            continue
        if part in _SYMBOL_WORDS:
            units.append((_SYMBOL_WORDS[part], True))
            continue
        for word in _CAMEL.split(part):
            cleaned = re.sub(r"[^\w]", "", word)
            if cleaned:
                units.append((canonical(cleaned), False))
    return units


def units_of(tokens: Sequence[str], symbols_optional: bool) -> list[Unit]:
    """Spoken units of a token list. Plain words are never optional: a plain "slash" must be accounted for; but
    a hyphen the plain decode writes inside a word is spelling, not speech ("redraw-chat" is two words)."""
    return [Unit(word, index, optional and symbols_optional)
            for index, token in enumerate(tokens) for word, optional in spoken_units(token)
            if symbols_optional or not (optional and word == "dash" and _HYPHENATED.search(token))]


def similar(a: str, b: str) -> bool:
    """Near spellings of one spoken word ("users"/"user", "webhooks"/"webhook"); short words must be equal."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4 or a[0] != b[0]:
        return False
    return SequenceMatcher(None, a, b).ratio() >= 0.8


def _word_cost(a: str, b: str) -> float | None:
    if a == b:
        return 0.0
    return _COST_FUZZY if similar(a, b) else None


# Back-pointers of the alignment: which move reached a cell.
_MATCH, _SKIP_AWARE, _SKIP_PLAIN, _SUB, _MERGE_PLAIN, _MERGE_AWARE = range(6)


def _moves(plain: Sequence[Unit], aware: Sequence[Unit], i: int, j: int) -> list[tuple[float, int, int, int]]:
    """(cost, move, next i, next j) of every move out of cell (i, j)."""
    moves: list[tuple[float, int, int, int]] = []
    if i < len(plain) and j < len(aware):
        cost = _word_cost(plain[i].word, aware[j].word)
        moves.append((cost, _MATCH, i + 1, j + 1) if cost is not None else (_COST_SUB, _SUB, i + 1, j + 1))
        # Merges must be exact: "userby" is not a spelling of "user".
        if i + 1 < len(plain) and plain[i].word + plain[i + 1].word == aware[j].word:
            moves.append((_COST_MERGE, _MERGE_PLAIN, i + 2, j + 1))
        if j + 1 < len(aware) and plain[i].word == aware[j].word + aware[j + 1].word:
            moves.append((_COST_MERGE, _MERGE_AWARE, i + 1, j + 2))
    if j < len(aware):
        moves.append((_COST_OPTIONAL if aware[j].optional else _COST_EDIT, _SKIP_AWARE, i, j + 1))
    if i < len(plain):
        moves.append((_COST_EDIT, _SKIP_PLAIN, i + 1, j))
    return moves


@dataclass(frozen=True)
class Alignment:
    matched: list[list[int]]  # per aware unit: the plain units that say the same word(s) (empty: none)
    paired: list[int | None]  # per aware unit: the plain unit at its place that says another word


def align_units(plain: Sequence[Unit], aware: Sequence[Unit]) -> Alignment:
    """For each aware unit, the plain units it stands for, by a minimum-cost alignment that lets one word
    match two ("webhook" ~ "web hook")."""
    n, m = len(plain), len(aware)
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = best[i][j]
            if here == inf:
                continue
            for cost, move, ni, nj in _moves(plain, aware, i, j):
                if here + cost < best[ni][nj]:
                    best[ni][nj] = here + cost
                    back[ni][nj] = (move, i, j)
    matched: list[list[int]] = [[] for _ in range(m)]
    paired: list[int | None] = [None] * m
    i, j = n, m
    while (i, j) != (0, 0):
        step = back[i][j]
        assert step is not None  # every cell but the origin was reached from somewhere
        move, pi, pj = step
        if move in (_MATCH, _MERGE_PLAIN, _MERGE_AWARE):
            for aware_index in range(pj, j):
                matched[aware_index] = list(range(pi, i))
        elif move == _SUB:
            paired[pj] = pi
        i, j = pi, pj
    return Alignment(matched, paired)


def _supported(indices: list[int], aware: Sequence[Unit], alignment: Alignment, known: bool,
               said_as_words: bool = False) -> bool:
    """Every spoken word of the token was heard by the plain decode (an optional symbol word may be missing).
    A diff identifier may differ a little more: two of its words heard there, one misheard in place, and one
    more the plain decode missed ("the ID slash users" for api/users.py, "get user ID" for getUserById); or, for
    a name of two words the code-aware decode said as words (`said_as_words`, spelled_as_code), only that: one
    heard there and the other misheard in its place ("off middleware" for "auth middleware"). The words it
    replaces then go to the audio (codeaware.py)."""
    matched, paired = alignment.matched, alignment.paired
    missing = sum(1 for k in indices if not matched[k] and not aware[k].optional)
    heard = sum(1 for k in indices if matched[k])
    heard_words = sum(1 for k in indices if matched[k] and not aware[k].optional)
    unplaced = sum(1 for k in indices if not matched[k] and paired[k] is None and not aware[k].optional)
    if said_as_words:  # words both decodes heard stay words here: restoration decides ("ask not" is English)
        return known and missing == 1 and heard_words == 1 and unplaced == 0
    if missing == 0:
        return True
    return known and heard >= 2 and unplaced <= 1 and heard_words >= 1


def snap_to_vocabulary(token: str, vocabulary: Sequence[str]) -> str:
    """A code-aware token that is a near miss of a diff identifier ("pis-users.py" for api/users.py), written as
    that identifier (with the token's own trailing punctuation); other tokens unchanged."""
    core = token.strip(_EDGE_PUNCT)
    if core in vocabulary or not (code_shaped(core) or re.search(r"\w-\w", core)):  # "handle-webhook" too
        return token
    letters = re.sub(r"[^a-z0-9]", "", core.lower())
    best, best_ratio = None, _SNAP_RATIO
    for identifier in vocabulary:
        ratio = SequenceMatcher(None, letters, re.sub(r"[^a-z0-9]", "", identifier.lower())).ratio()
        if ratio >= best_ratio:
            best, best_ratio = identifier, ratio
    if best is None:
        return token
    return best + closing_punctuation(token)


def _spoken_words(token: str) -> tuple[str, ...]:
    return tuple(word for word, optional in spoken_units(token) if not optional)


def spelled_as_code(tokens: Sequence[str], vocabulary: Sequence[str]) -> tuple[list[str], frozenset[int]]:
    """The code-aware decode's tokens with a run of words that says a diff identifier of two words or more
    written as that identifier ("a value error when" -> "a ValueError when"), and the indices of the tokens so
    written: primed with the vocabulary, it sometimes hears the name but writes it as words, and only a token
    written as code may stand where the plain decode heard other words ("a mere value in"). Left alone: one-word
    names ("wrap", "none" are English), names with symbols a speaker says ("dash dash dry run", "slash"), and
    words that say two names (`legacy_format` and `--legacy-format`)."""
    by_words: dict[tuple[str, ...], str | None] = {}
    for identifier in vocabulary:
        units = spoken_units(identifier)
        words = tuple(word for word, optional in units if not optional)
        said = all(word == "underscore" for word, optional in units if optional)
        if len(words) >= 2:
            by_words[words] = identifier if said and by_words.get(words, identifier) == identifier else None
    if not any(by_words.values()):
        return list(tokens), frozenset()
    longest = max(len(words) for words in by_words)
    out: list[str] = []
    joined: set[int] = set()
    index = 0
    while index < len(tokens):
        for size in range(min(longest, len(tokens) - index), 1, -1):
            run = tokens[index : index + size]
            if any(closing_punctuation(token) for token in run[:-1]) or any(code_shaped(token) for token in run):
                continue
            name = by_words.get(tuple(word for token in run for word in _spoken_words(token)))
            if name is not None:
                joined.add(len(out))
                out.append(name + closing_punctuation(run[-1]))
                index += size
                break
        else:
            out.append(tokens[index])
            index += 1
    return out, frozenset(joined)


_GLUED_SENTENCE = re.compile(r"^(?P<name>.+)\.(?P<next>[A-Z][a-z]+[,.;:!?]*)$")


def _unglued(tokens: Sequence[str], vocabulary: Sequence[str]) -> list[str]:
    """Tokens with a name of the change that Whisper ran into the next sentence split from it: "ctx.Err.Instead"
    -> "ctx.Err." "Instead" (the decoder leaves out the space after a full stop, "loop.So shut down")."""
    out: list[str] = []
    for token in tokens:
        glued = _GLUED_SENTENCE.match(token)
        if glued and glued["name"] in vocabulary and token.rstrip(CLOSING_PUNCT) not in vocabulary:
            out += [glued["name"] + ".", glued["next"]]
        else:
            out.append(token)
    return out


def closing_punctuation(word: str) -> str:
    """The punctuation a word ends with: "size," -> ","; "" when none."""
    return word[len(word.rstrip(CLOSING_PUNCT)):]


def code_shaped(token: str) -> bool:
    """Written like code: snake_case, camelCase, a dotted name or a path ("fetch_user", "os.environ")."""
    return bool(_CODE_SHAPE.search(token.strip(_EDGE_PUNCT)))


def _claims(plain: Sequence[Unit], aware: Sequence[Unit], alignment: Alignment, tokens: Sequence[str],
            vocabulary: frozenset[str], substitute: str, said_as_words: frozenset[int], plain_tokens: Sequence[str]
            ) -> tuple[dict[int, list[int]], set[int]]:
    """(aware token -> the plain units it replaces, the tokens among them only placed there).

    A code spelling (or a diff identifier) replaces the plain words that say it, in one stretch. Ordinary words
    stay as the plain decode wrote them: the primed decode's other differences there are noise (capitals,
    "HELPER, and call it FROM"; hyphens, "retry-loop"). Where the two decodes heard different words at the
    same place, `substitute` says whose to keep: "none" (plain's), "known" (a diff identifier), "code" (any
    code spelling) or "all" (the code-aware decode's, which heard them with the vocabulary in mind). A diff
    identifier the code-aware decode wrote as code may also stand where the plain decode heard words that do
    not look like it ("ctx.Done" for "ZDX.com"): only placed, for the audio to decide. A code spelling that is
    not a name of the change never spans a pause the plain decode punctuated ("canceled.Run" for "canceled.
    Run", "loop.So" for "loop, so": Whisper left out the space after a full stop)."""
    claims: dict[int, list[int]] = {}
    placed_only: set[int] = set()
    matched = alignment.matched
    aligned = {p for k in range(len(aware)) for p in [*matched[k], alignment.paired[k]] if p is not None}
    for token in range(len(tokens)):
        indices = [k for k, unit in enumerate(aware) if unit.token == token]
        if not indices:
            continue
        known = tokens[token].strip(_EDGE_PUNCT) in vocabulary
        code = known or code_shaped(tokens[token])
        if (code and _supported(indices, aware, alignment, known, token in said_as_words)) or \
                (_substitutes(indices, aware, plain, alignment) and _may_substitute(substitute, known, code)):
            alike = True
        elif known and substitute != "none" and token not in said_as_words and _in_place(indices, aware, alignment):
            alike = False
        else:
            continue
        units = sorted({p for k in indices for p in [*matched[k], alignment.paired[k]] if p is not None})
        if known and (stretched := _stretch(units, indices, aware, alignment, aligned)) != units:
            units, alike = stretched, False  # weaker evidence: the audio must clearly prefer it
        if not known and any(plain_tokens[t].endswith(_PAUSES) for t in sorted({plain[p].token
                                                                                      for p in units})[:-1]):
            continue
        if units and units == list(range(units[0], units[-1] + 1)):
            claims[token] = units
            if not alike:
                placed_only.add(token)
    return claims, placed_only


def _stretch(units: list[int], indices: list[int], aware: Sequence[Unit], alignment: Alignment,
             aligned: set[int]) -> list[int]:
    """The plain units a name of the change stands for, with the gaps between them filled where the plain
    decode heard a word for a symbol the speaker said ("CTF start done" for "C T X dot done", ctx.Done): as many
    plain words, none of them in `aligned` (the plain units any aware unit stands for), as the token has symbol
    words left unheard."""
    if not units:
        return units
    gaps = [p for p in range(units[0], units[-1] + 1) if p not in units]
    unheard_symbols = sum(1 for k in indices if aware[k].optional and not alignment.matched[k]
                          and alignment.paired[k] is None)
    if not gaps or len(gaps) > unheard_symbols or any(p in aligned for p in gaps):
        return units
    return list(range(units[0], units[-1] + 1))


def _in_place(indices: list[int], aware: Sequence[Unit], alignment: Alignment) -> bool:
    """Every spoken word of the token stands at the place of a plain word (heard otherwise, or the same): it
    replaces words and adds none."""
    spoken = [k for k in indices if not aware[k].optional]
    return any(alignment.paired[k] is not None for k in spoken) and \
        all(alignment.matched[k] or alignment.paired[k] is not None for k in spoken)


def _substitutes(indices: list[int], aware: Sequence[Unit], plain: Sequence[Unit], alignment: Alignment) -> bool:
    """Every spoken word of the token stands at the place of a plain word it sounds somewhat like ("useFetch"
    for "your fish"): it replaces words, it adds none, and it does not stand for other words that merely
    happen to be where the code-aware decode had nothing left to say ("DataTable.tsx" for "it was
    recalculated")."""
    if not _in_place(indices, aware, alignment):
        return False
    spoken = [k for k in indices if not aware[k].optional]
    paired = [(aware[k].word, plain[p].word) for k in spoken if (p := alignment.paired[k]) is not None]
    likeness = [SequenceMatcher(None, a, b).ratio() for a, b in paired]
    return max(likeness) >= _SUBSTITUTE_LIKENESS and sum(likeness) / len(likeness) >= _SUBSTITUTE_MEAN_LIKENESS


def _may_substitute(policy: str, known: bool, code: bool) -> bool:
    return policy == "all" or (policy == "code" and code) or (policy == "known" and known)


def _whole_tokens_only(claims: dict[int, list[int]], plain: Sequence[Unit]) -> dict[int, list[int]]:
    """Drop claims on part of a plain token ("users.py" half taken): its other words would be lost."""
    per_token: dict[int, int] = {}
    for unit in plain:
        per_token[unit.token] = per_token.get(unit.token, 0) + 1
    while True:
        covered: dict[int, int] = {}
        for units in claims.values():
            for p in units:
                covered[plain[p].token] = covered.get(plain[p].token, 0) + 1
        partial = {t for t, count in covered.items() if count != per_token[t]}
        broken = [a for a, units in claims.items() if any(plain[p].token in partial for p in units)]
        if not broken:
            return claims
        for token in broken:
            del claims[token]


def _spelled(aware_token: str, first_plain: str, last_plain: str, sentence_start: bool) -> str:
    """The aware token, with the plain decode's comma or full stop after it ("fetch user," -> "fetch_user,";
    "signal," and "abortSignal." -> "abortSignal,": where sentences end is what was said) and its capital at a
    sentence start ("Rename" where the code-aware decode wrote "rename"); a code spelling keeps its case."""
    tail = closing_punctuation(last_plain)
    if tail:
        aware_token = aware_token.rstrip(CLOSING_PUNCT) + tail
    if (sentence_start and not code_shaped(aware_token) and aware_token.islower() and first_plain[:1].isupper()
            and first_plain[1:].islower()):
        aware_token = aware_token[:1].upper() + aware_token[1:]
    return aware_token


def reconcile(plain_text: str, aware_text: str, vocabulary: Iterable[str] = (),
              substitute: str = SUBSTITUTE) -> Reconciled:
    """The plain decode's words, spelled as the code-aware decode spells them where both heard the same.
    `vocabulary`: the diff's identifiers, which the code-aware decode may write with a little more latitude."""
    known = list(dict.fromkeys(vocabulary))
    plain_tokens = plain_text.split()
    aware_tokens, said_as_words = spelled_as_code(
        [snap_to_vocabulary(token, known) for token in _unglued(aware_text.split(), known)], known)
    plain, aware = units_of(plain_tokens, False), units_of(aware_tokens, True)
    alignment = align_units(plain, aware)
    matched = alignment.matched
    claims, placed_only = _claims(plain, aware, alignment, aware_tokens, frozenset(known), substitute,
                                  said_as_words, plain_tokens)
    claims = _whole_tokens_only(claims, plain)
    # Aware tokens with a word the plain decode did not hear there: invented ("3."), or heard differently.
    unheard = {aware[k].token for k in range(len(aware)) if not matched[k] and not aware[k].optional}
    anchored: dict[int, list[int]] = {}  # plain token -> aware tokens written there
    claimed_tokens: set[int] = set()
    for aware_token, units in sorted(claims.items()):
        anchored.setdefault(plain[units[0]].token, []).append(aware_token)
        claimed_tokens.update(plain[p].token for p in units)
    pieces: list[Piece] = []
    for index, token in enumerate(plain_tokens):
        if index not in claimed_tokens:
            pieces.append(Piece(token, index, False))
            continue
        for aware_token in anchored.get(index, []):
            last = plain[claims[aware_token][-1]].token
            start = index == 0 or plain_tokens[index - 1].endswith((".", "!", "?"))
            replaced = tuple(plain_tokens[index : last + 1]) if aware_token in unheard else ()
            pieces.append(Piece(_spelled(aware_tokens[aware_token], token, plain_tokens[last], start), index, True,
                                replaced, alike=aware_token not in placed_only))
    dropped = tuple(aware_tokens[t] for t in sorted(unheard) if t not in claims)
    return Reconciled(tuple(pieces), sum(p.from_aware for p in pieces), dropped)
