"""Vocabulary rescoring: a diff identifier is written over the words heard for it unless Whisper itself, on the
same audio, finds the sentence as heard clearly likelier.

Reconciliation keeps what the plain decode heard and takes the code-aware decode's spelling where both heard the
same words; restoration rewrites runs of words that spell or sound like a name. Where both decodes mis-heard a
name ("great limited" for `RateLimiter`, "mack such size" for `MAX_BATCH_SIZE`), neither helps. Rescoring asks
the model: each identifier is tried over the runs of words that look like it (about as many words and letters,
many of its letters there), every such sentence is scored by the decoder on the chunk's audio, primed with the
vocabulary as the code-aware decode is, and a rewrite is kept unless the sentence as heard beats it by a margin
(RescoreOptions.margin). The audio decides, so a name is written where it was said; nothing else in the sentence
changes, and a word already written as code is never rewritten. The note's first word is tried the same way
against the verbs an explanation of a change opens with, since the subject is made from it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import Any

from gitvoice.transcription.prompt import is_issue_reference
from gitvoice.transcription.reconcile import CLOSING_PUNCT, Piece, closing_punctuation, code_shaped
from gitvoice.transcription.sentence_scores import Scorer

_PART_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_NOT_ALNUM_RE = re.compile(r"[^a-z0-9]")
_NOT_DIGIT_RE = re.compile(r"[^0-9]")
# Issues the diff's comments name ("#42", composition.identifiers.issue_references), tried where they may have
# been said: after a word that names an issue or cites one, or over a run ending in the number's last digits.
_ISSUE_WORDS = frozenset({"issue", "issues", "ticket", "bug", "pr", "request"})
_CITING_WORDS = frozenset({"see", "fix", "fixes", "fixed", "close", "closes", "closed", "resolve", "resolves",
                           "resolved", "refs", "addresses"})
MAX_ISSUE_RUN = 5  # words: "for the two" for "forty two", "you soon to mow for." for "issue two oh four."
PER_ISSUE = 8  # runs tried per issue, shortest first
ISSUE_LIKENESS = 0.5  # ranks them among the names' runs (MIN_LIKENESS and up)
_SENTENCE_END = (".", ";", ":", "!", "?")
# "dot" before an extension, and what tiny.en hears for it there ("you dint-h-d not high" for "... dot pie").
_DOT_SOUNDS = frozenset({"dot", "not", "dots"})
MAX_EXTENSION_LETTERS = 4  # the extension as heard: "high", "pie", "rs"
PER_EXTENSION = 6  # runs tried per file of the change, shortest first
# Words that say a symbol inside a name ("ci dot yammel"): the words beside them are pieces of a name said in
# parts, which restoration puts together; a rewrite of one piece would break it ("ci dot ci.yml").
_SYMBOL_WORDS = frozenset({"dot", "slash", "underscore", "dash", "backslash"})
_INFLECTIONS = ("ing", "ed", "es", "s", "d")

# Which runs of words are tried as a name. Loose on purpose: the audio decides, and on the corpus the best
# rewrite to a name nobody said scored far below the sentence as heard (docs/understanding.md), while names
# that were said hid behind words that share only their sound ("the user by digglyd" for getUserById, "V1bql"
# for DEBUG_SQL, "melee-day female" for validate_email).
MIN_LIKENESS = 0.45  # letters in common (difflib ratio) of the words and the identifier: "great limited" 0.8
MIN_SHORTER = 0.6  # the words may have this share of the name's letters ("V1bql" for debug sql, 5/8)...
MAX_LONGER = 1.5  # ... or this many times them; more would swallow speech ("empty car-tapped" for EmptyCart, 14/9)
MIN_IDENTIFIER_LETTERS = 4  # shorter names sound like too many words
MIN_FLAG_LETTERS = 3  # and flags with shorter names than this ("-v", "--db")
MAX_IDENTIFIERS = 30  # the most salient of the vocabulary
PER_IDENTIFIER = 6  # best runs tried per identifier


# Verbs an explanation of a change opens with. tiny.en mis-hears some of them as the note's first word, where no
# sentence before it helps ("And a" for "Add a", "Rez" for "Raise", "Ripley's" for "Replace", "Up rate" for
# "Upgrade"); the subject is made from that word. A first word that is one of these (or a form of one) is kept.
OPENING_VERBS = (
    "add", "allow", "avoid", "bump", "cache", "call", "catch", "change", "check", "clean", "clear", "close",
    "convert", "create", "debounce", "delete", "deprecate", "derive", "disable", "document", "drop", "enable",
    "escape", "expose", "extract", "fetch", "filter", "fix", "flush", "follow", "format", "guard", "handle",
    "ignore", "implement", "improve", "include", "inline", "introduce", "keep", "limit", "load", "lock", "log",
    "lower", "make", "mark", "merge", "migrate", "move", "parse", "pass", "patch", "pin", "prevent", "raise",
    "read", "record", "reduce", "refactor", "reject", "release", "reload", "remove", "rename", "render",
    "replace", "require", "reset", "restore", "retry", "return", "reuse", "revert", "rewrite", "run", "send",
    "set", "show", "simplify", "skip", "sort", "split", "stop", "store", "support", "switch", "test",
    "throttle", "tighten", "track", "trim", "turn", "unify", "update", "upgrade", "use", "validate", "verify",
    "warn", "work", "wrap", "write",
)
MIN_OPENING_LIKENESS = 0.5  # "and a" and "add" 0.57, "rez" and "raise" 0.5, "class" and "pass" 0.67
MIN_OPENING_LIKENESS_OTHER_LETTER = 0.6  # when the first letters differ ("class" for "pass")
MIN_OPENING_LENGTH_RATIO = 0.6  # letters heard against the verb's: "rez" for "raise"
MAX_OPENING_CANDIDATES = 8


@dataclass(frozen=True)
class RescoreOptions:
    # Log-probability (nats) a rewrite must gain over the sentence as heard: negative, it may lose that much.
    # tiny.en's sentence scores favour the words it wrote, and a name over them costs rare tokens: on the corpus
    # the names said scored between -2 and +5 over their mis-hearings ("token market" for TokenBucket -2.0,
    # "IBS, you are" for API_BASE_URL -1.2), and so did the opening verbs ("Mump" -> "Bump" -1.0), while names
    # of other changes, which nobody said, scored 9 nats or more below the words heard (docs/understanding.md).
    margin: float = -2.0
    # ... but where the words heard are the name's own words but for an ending ("ask not" beside AskNote, "set,
    # result" for setResults, "deleted users" beside delete_user), English was as likely said as the name: the
    # audio must prefer the name by this much (setResults, said: +3.3; AskNote and delete_user, not: -1.6, -1.3).
    own_words_margin: float = 1.0
    # ... and a run with a small word beside the name over the run without it: a sentence one word shorter
    # saves that word's cost, which tiny.en's scores reward ("Okay, so, mack such size" -> "Okay, MAX_BATCH_SIZE")
    swallow_margin: float = 3.0
    max_candidates: int = 32  # sentences scored per round: one batch
    # ... and fewer for a long chunk: about this many words in a batch (a 30 s window of speech is about 80
    # words, so 10 sentences; a 6 s sentence of 16 words, all 32). The decoder's cost grows with both.
    max_batch_words: int = 800
    rounds: int = 3  # rewrites per chunk at most


# A rewrite scored this many nats below what it needed is not scored again in the chunk's later rounds (unless
# it lies within HOPELESS_NEAR words of a rewrite made since): a rewrite elsewhere in a 30 s chunk moved the
# other candidates' scores by at most 0.6 nats, and scoring a long chunk's candidates again for every round
# was most of its rescoring (three rounds of 0.6 s for a 30 s note on 2 cores).
HOPELESS_BELOW = 5.0
HOPELESS_NEAR = 2


@dataclass(frozen=True)
class Rewrite:
    first: int  # the first word replaced
    stop: int  # the word after the last one replaced
    text: str  # what they become: the identifier or its words ("rate limiter"), with the last word's punctuation
    identifier: str
    likeness: float  # letters in common with the words replaced
    own_words: bool = False  # the words replaced are the name's own words but for an ending
    over_code: bool = False  # a word replaced is shaped like code (no name of the change: "s.n.myrind")
    unlike: bool = False  # found where the file's extension was said, not by letters ("you dint-h-d not high")


def identifier_forms(identifier: str) -> list[str]:
    """How the identifier may be written in a sentence: as itself, and for a name of several words as those
    words ("max batch size" for MAX_BATCH_SIZE; the name is written). Paths, files, dotted names and flags only as
    themselves: their words would leave out the "dot" or "slash" said between them."""
    forms = [identifier]
    if identifier.startswith("-") or "/" in identifier or "." in identifier:
        return forms
    parts = _PART_RE.findall(identifier)
    if len(parts) > 1:
        forms.append(" ".join(p if p.isupper() and len(p) <= 4 and not identifier.isupper() else p.lower()
                              for p in parts))
    return forms


def rewrites(words: Sequence[str], vocabulary: Sequence[str], done: set[str],
             limit: int = RescoreOptions.max_candidates) -> list[Rewrite]:
    """The rewrites worth scoring, likeliest first: per identifier its best runs of words that could be a
    mis-hearing of it. Pure."""
    written = {_bare(word) for word in words}
    said = _letters(" ".join(words))
    names = frozenset(vocabulary)
    found: list[Rewrite] = []
    for identifier in list(dict.fromkeys(vocabulary))[:MAX_IDENTIFIERS]:
        if is_issue_reference(identifier):
            if identifier not in done and identifier not in written:
                found += issue_runs(words, identifier[1:])[:PER_ISSUE]
            continue
        letters = _spoken_letters(identifier)
        if len(letters) < MIN_IDENTIFIER_LETTERS or identifier in done or identifier in written or letters in said:
            continue  # short, done, written, or spelled out in words (restoration's to judge: "rate limiter")
        if identifier.startswith("-") and len(_letters(identifier)) < MIN_FLAG_LETTERS:
            continue  # "-v", "--db": too many words sound like "dash v"
        parts = [part.lower() for part in _PART_RE.findall(identifier)] or [letters]
        forms = identifier_forms(identifier)
        runs = sorted(_runs(words, identifier, forms, letters, parts, names), key=lambda r: -r.likeness)
        found += runs[: PER_IDENTIFIER * len(forms)]
        found += extension_runs(words, identifier, names)[:PER_EXTENSION]
    found.sort(key=lambda r: -r.likeness)
    return found[:limit]


def issue_runs(words: Sequence[str], number: str) -> list[Rewrite]:
    """Where issue `number` (named in the diff's comments) may have been said though not heard as digits, as
    rewrites to "issue N" (to "N" after a word that names an issue): the words after "issue", "pull request" or
    a citing verb ("issue for the two" for "issue forty two", "see you tomorrow free" for "see issue two oh
    three"), and a run ending in the number's last digits ("to the shoot 256" for "to issue two fifty six").
    Shortest runs first. None where the number was heard after an issue word (restoration's to write). Pure."""
    if any(_digits(word) == number and ((index and _letters(words[index - 1]) in _ISSUE_WORDS) or "#" in word)
           for index, word in enumerate(words)):
        return []
    found: list[Rewrite] = []
    for first in range(len(words)):
        before = _letters(words[first - 1]) if first else ""
        for stop in range(first + 1, min(len(words), first + MAX_ISSUE_RUN) + 1):
            span = words[first:stop]
            if any(code_shaped(word) for word in span) or any(w.endswith(_SENTENCE_END) for w in span[:-1]):
                break
            if _letters(span[0]) in _ISSUE_WORDS:
                break  # the issue word itself stays
            tail = closing_punctuation(span[-1])
            ending = _digits(span[-1])
            if before in _ISSUE_WORDS and not _digits(span[0]):
                found.append(Rewrite(first, stop, number + tail, "#" + number, ISSUE_LIKENESS))
            elif before in _CITING_WORDS or (ending and number.endswith(ending)):
                found.append(Rewrite(first, stop, f"issue {number}{tail}", "#" + number, ISSUE_LIKENESS))
    found.sort(key=lambda r: r.stop - r.first)
    return found


def extension_runs(words: Sequence[str], path: str, names: frozenset[str] = frozenset()) -> list[Rewrite]:
    """Where a file of the change may have been said though its letters were lost: runs ending in "dot" (or a
    word tiny.en hears for it: "not") and one short word, the extension as heard ("you dint-h-d not high" for
    "utils slash H T T P dot pie", "Next, reach-right not high." for "net slash retry dot pie"), of up to as
    many words as the path said has. Their letters are unlike the name's, so the audio must prefer the name by
    RescoreOptions.own_words_margin (`Rewrite.unlike`). Shortest first; none for a name with no extension. Pure."""
    base = path.rsplit("/", 1)[-1]
    if "." not in base.strip(".") or not _letters(base.rsplit(".", 1)[1]):
        return []
    most = len(_PART_RE.findall(path)) + path.count("/") + path.count(".")  # "utils slash http dot py": 5
    found: list[Rewrite] = []
    for dot in range(1, len(words) - 1):
        extension = words[dot + 1]
        if _letters(words[dot]) not in _DOT_SOUNDS or not 0 < len(_letters(extension)) <= MAX_EXTENSION_LETTERS \
                or words[dot].endswith(_SENTENCE_END):
            continue
        for first in range(dot - 1, max(-1, dot + 1 - most), -1):
            span = words[first : dot + 2]
            if words[first].endswith(_SENTENCE_END) or any(_bare(word) in names for word in span):
                break
            found.append(Rewrite(first, dot + 2, path + closing_punctuation(extension), path, ISSUE_LIKENESS,
                                 unlike=True))
    found.sort(key=lambda r: r.stop - r.first)
    return found


def chain_pieces(word: str) -> list[str]:
    """The pieces of a word tiny.en chained with hyphens around a spoken symbol, as words ("crip-slash-d-loy.sh-d"
    -> crip, slash, d, loy.sh, d), so that a run of them can be tried as a name; other words as they are.
    Restoration spaces such chains the same way (composition.spoken_symbols.spaced_chains)."""
    parts = [part for part in word.split("-") if part]
    if len(parts) < 3 or not _SYMBOL_WORDS.intersection(_letters(part) for part in parts[1:-1]):
        return [word]
    return parts


def _digits(word: str) -> str:
    return _NOT_DIGIT_RE.sub("", word)


def opening_rewrites(words: Sequence[str], limit: int = MAX_OPENING_CANDIDATES) -> list[Rewrite]:
    """Opening verbs the note's first word (or first two) may be a mis-hearing of, likeliest first; none when
    it begins with such a verb already. Pure."""
    if not words or opens_with_verb(words[0]):
        return []
    found: list[Rewrite] = []
    for count in (1, 2):
        span = words[:count]
        if len(span) < count or any(code_shaped(word) for word in span) or span[0].endswith(_SENTENCE_END):
            break
        heard = _letters(" ".join(span))
        if not heard:
            break
        tail = closing_punctuation(span[-1])
        for verb in OPENING_VERBS:
            likeness = SequenceMatcher(None, heard, verb).ratio()
            floor = MIN_OPENING_LIKENESS if heard[0] == verb[0] else MIN_OPENING_LIKENESS_OTHER_LETTER
            if likeness >= floor and \
                    min(len(heard), len(verb)) / max(len(heard), len(verb)) >= MIN_OPENING_LENGTH_RATIO:
                found.append(Rewrite(0, count, verb.capitalize() + tail, verb, likeness))
    found.sort(key=lambda r: -r.likeness)
    return found[:limit]


def opens_with_verb(word: str) -> bool:
    """ "Fix", "Fixes", "Renamed", "Updating": a form of an opening verb."""
    first = _letters(word)
    return bool(first) and any(first.startswith(verb[:-1] if verb.endswith("e") else verb)
                               and len(first) - len(verb) <= 3 for verb in OPENING_VERBS)


def _runs(words: Sequence[str], identifier: str, forms: list[str], letters: str, parts: list[str],
          names: frozenset[str] = frozenset()) -> list[Rewrite]:
    """Runs of about as many words as the name has parts whose letters look like it. `names` (the vocabulary) are
    never rewritten; other words shaped like code may be, when the audio prefers the name (`Rewrite.over_code`),
    and a path or dotted name may look like them as said ("src slash lib dot rs" for "RZ-Sashley.us")."""
    said_letters = _said_symbols(identifier)
    symbols = identifier.count("/") + identifier.count(".") if said_letters else 0
    runs: list[Rewrite] = []
    for first in range(len(words)):
        for count in range(max(1, len(parts) - 1), len(parts) + 2 + symbols):
            stop = first + count
            if stop > len(words):
                break
            span = words[first:stop]
            coded = [word for word in span if code_shaped(word)]
            if any(_bare(word) in names for word in coded) or any(w.endswith(_SENTENCE_END) for w in span[:-1]):
                continue  # a name of the change already written, or a run across sentences (commas are guesses)
            edges = [_letters(w) for w in (*words[max(0, first - 1) : first + 1], *words[stop - 1 : stop + 1])]
            said_inside = bool(_SYMBOL_WORDS.intersection(_letters(w) for w in span[1:-1]))
            if _SYMBOL_WORDS.intersection(edges) or (said_inside and not said_letters):
                continue  # a piece of a name said in parts: restoration's
            if count > len(parts) + 1 and not said_inside:
                continue  # the longer runs only for a path or dotted name said with its symbols
            heard = _letters(" ".join(span))
            if not _around_parts(span, parts):
                continue
            if not heard or letters in heard:
                continue  # an exact spelling (even inside the run) is restoration's to judge
            # As said only over words that look like a mangled name ("RZ-Sashley.us"): over English words the
            # longer letters let a run swallow speech ("flag, the longer" for s.logger, said "the logger").
            looks = (letters, said_letters) if coded or said_inside else (letters,)
            likeness = max((SequenceMatcher(None, heard, form).ratio() for form in looks
                            if form and MIN_SHORTER <= len(heard) / len(form) <= MAX_LONGER), default=0.0)
            if likeness < MIN_LIKENESS:
                continue  # unlike, or it would swallow more speech than the name ("empty car-tapped": "cart at")
            tail = closing_punctuation(span[-1])
            own = _own_words(span, parts)
            runs += [Rewrite(first, stop, form + tail, identifier, likeness, own, bool(coded)) for form in forms]
    return runs


def _said_symbols(identifier: str) -> str:
    """The letters of a path or dotted name with its symbols said ("src/lib.rs": "srcslashlibdotrs"); "" for
    other names."""
    if "/" not in identifier and "." not in identifier:
        return ""
    return _letters(identifier.replace("/", " slash ").replace(".", " dot "))


def _bare(word: str) -> str:
    return word.strip(CLOSING_PUNCT + "\"'()")


def _around_parts(span: Sequence[str], parts: list[str]) -> bool:
    """Whether the words around a part of the name said right can stand for its other parts, in order: "country
    can" may be country_id ("can" a mis-heard "id"), "your country" and a lone "country" cannot."""
    for position, word in enumerate(_letters(w) for w in span):
        if word in parts:
            index = parts.index(word)
            if position > index or len(span) - 1 - position > len(parts) - 1 - index or len(span) == 1:
                return False
    return True


def _own_words(span: Sequence[str], parts: list[str]) -> bool:
    """Whether the words are the name's parts but for an ending: "deleted users" of delete_user, "ask not" of
    AskNote, "set, result" of setResults."""
    words = [_letters(word) for word in span]
    return len(words) == len(parts) and all(_stem(word) == _stem(part)
                                            for word, part in zip(words, parts, strict=True))


def _stem(word: str) -> str:
    for ending in _INFLECTIONS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)].rstrip("e")
    return word.rstrip("e")


def _spoken_letters(identifier: str) -> str:
    """The letters of a name as said: a flag's dashes are words ("--since": "dashdashsince", which tiny.en heard
    as "mash-shash-shin"); other names' as written."""
    name = identifier.lstrip("-")
    return "dash" * (len(identifier) - len(name)) + _letters(name) if name != identifier else _letters(identifier)


def _letters(text: str) -> str:
    return _NOT_ALNUM_RE.sub("", text.lower())


_SMALL_WORDS = frozenset({"a", "an", "the", "so", "and", "or", "but", "to", "of", "in", "on", "at", "for", "with",
                          "it", "then", "now", "okay", "well", "also"})


def _within(inner: Rewrite, outer: Rewrite, words: Sequence[str]) -> bool:
    """`inner` is `outer`, or `outer` without small words at its edges ("so" of "so, mack such size")."""
    if not outer.first <= inner.first or not inner.stop <= outer.stop:
        return False
    dropped = [*words[outer.first : inner.first], *words[inner.stop : outer.stop]]
    return all(_letters(word) in _SMALL_WORDS for word in dropped)


def _as_written(rewrite: Rewrite, words: Sequence[str]) -> Rewrite:
    """The rewrite with the identifier itself, however it was scored ("on submit" -> onSubmit): restoration
    leaves a name's words as English when they could be ("on submit"), but here the audio placed the name. An
    issue keeps the words it was scored with, its number written "#N" ("issue #42")."""
    if is_issue_reference(rewrite.identifier):
        number = rewrite.identifier[1:]
        return replace(rewrite, text=re.sub(rf"\b{number}\b", rewrite.identifier, rewrite.text, count=1))
    return replace(rewrite, text=rewrite.identifier + closing_punctuation(words[rewrite.stop - 1]))


def _moved(rewrite: Rewrite, written: Rewrite) -> Rewrite | None:
    """`rewrite` where its words are once `written` is applied; None when it is within HOPELESS_NEAR words of
    what changed (the words beside a rewrite are heard in a new context: scored again)."""
    if rewrite.stop + HOPELESS_NEAR <= written.first:
        return rewrite
    if rewrite.first >= written.stop + HOPELESS_NEAR:
        shift = written.stop - written.first - 1
        return replace(rewrite, first=rewrite.first - shift, stop=rewrite.stop - shift)
    return None


def applied(words: Sequence[str], rewrite: Rewrite) -> list[str]:
    return [*words[: rewrite.first], rewrite.text, *words[rewrite.stop :]]




def rescore(words: Sequence[str], owners: Sequence[int], vocabulary: Sequence[str], score: Scorer,
            options: RescoreOptions = RescoreOptions(), *,
            opening: bool = False) -> tuple[list[str], list[int], list[dict[str, Any]]]:
    """(words, the segment of each, what was rewritten): `words` with the identifiers the audio supports written
    over the words heard for them, and when `words` open the note (`opening`), the opening verb the audio
    supports over a mis-heard first word. A rewritten run belongs to the segment of its first word."""
    current, owner = list(words), list(owners)
    done: set[str] = set()
    notes: list[dict[str, Any]] = []
    base: float | None = None
    hopeless: set[Rewrite] = set()  # scored far below what they needed: not scored again
    for _ in range(options.rounds):
        openings = opening_rewrites(current) if opening else []
        limit = max(4, min(options.max_candidates, options.max_batch_words // max(1, len(current))))
        openings = openings[: limit // 2]
        candidates = [c for c in openings + rewrites(current, vocabulary, done, limit - len(openings))
                      if c not in hopeless]
        if not candidates:
            break
        sentences = [" ".join(current)] + [" ".join(applied(current, c)) for c in candidates]
        scores = score(sentences if base is None else sentences[1:])
        if base is None:
            base, scores = scores[0], scores[1:]
        needed = {c: options.own_words_margin if c.own_words or c.over_code or c.unlike else options.margin
                  for c in candidates}
        hopeless |= {c for s, c in zip(scores, candidates, strict=True) if s - base < needed[c] - HOPELESS_BELOW}
        kept = [(s, c) for s, c in zip(scores, candidates, strict=True) if s - base > needed[c]]
        if not kept:
            break
        best_score, best = max(kept, key=lambda pair: pair[0])
        # A run that swallows a small word beside the name ("so, mack such size") saves that word's cost, so the
        # audio may like it more than the name's own words: the run without it wins unless far behind.
        best_score, best = min(((s, c) for s, c in kept if c.identifier == best.identifier
                                and _within(c, best, current) and s >= best_score - options.swallow_margin),
                               key=lambda pair: (pair[1].stop - pair[1].first, -pair[0]))
        written = best if best in openings else _as_written(best, current)
        notes.append({"identifier": best.identifier, "heard": " ".join(current[best.first : best.stop]),
                      "written": written.text, "gain": round(best_score - base, 2)})
        current = applied(current, written)
        owner = [*owner[: best.first], owner[best.first], *owner[best.stop :]]
        hopeless = {moved for c in hopeless if (moved := _moved(c, written)) is not None}
        done.add(best.identifier)
        opening = opening and best not in openings
        base = best_score if written == best else None  # scored as words, written as the name: score it again
    return current, owner, notes


# A substitution is refused when the audio prefers the words heard by more than this (nats). The primed decode
# proposed it, so it needs no gain, but tiny.en's sentence scores are loose by a few nats either way: names that
# were said scored -0.9 ("creator count" for create_account) and -2.2 ("more signal" for abortSignal) on the
# corpus, names that were not -11.7 ("payload" for "all") and -20.8 ("getLogger" for "and log").
SUBSTITUTION_MARGIN = -5.0
# A name only placed where the plain decode heard words that do not look like it ("ctx.Done" for "ZDX.com",
# +15 nats on the corpus) is kept as rescoring keeps a rewrite, when the audio prefers it to the words heard by
# this much, and only if no other name of the vocabulary scores better there: the primed decode may have written
# a sibling of the name said ("ctx.Err" for "C T X dot done"), or a name over a mis-heard other one ("setUser"
# over "the user" of "the user by digglyd", which rescoring writes as getUserById).
PLACED_SUBSTITUTION_MARGIN = 1.0


def confirmed_substitutions(pieces: Sequence[Piece], score: Scorer, margin: float = SUBSTITUTION_MARGIN,
                            vocabulary: Sequence[str] = ()) -> tuple[list[Piece], list[dict[str, Any]]]:
    """(pieces, what was judged): the reconciled pieces with each substitution (a code-aware spelling of words
    the plain decode heard otherwise, `Piece.replaced`) kept unless the audio prefers the plain words by more
    than -`margin`. A primed decode that lost its way writes names the speaker did not say at the place of words
    it did ("getLogger" for "and log."); reconciliation judges those by letters, the audio by sound. A name whose
    words do not look like those it replaces (`Piece.alike` false) stays only if the audio prefers it to the
    words heard by PLACED_SUBSTITUTION_MARGIN and to every other name of `vocabulary` at its place. Each
    substitution is judged against the sentence with all the others in it."""
    shared = {anchor for anchor, count in Counter(piece.anchor for piece in pieces).items() if count > 1}
    judged = [index for index, piece in enumerate(pieces) if piece.replaced and piece.anchor not in shared]
    if not judged:
        return list(pieces), []
    names = list(dict.fromkeys(vocabulary))[:MAX_IDENTIFIERS]
    others = {index: [name for name in names if name != pieces[index].text.rstrip(CLOSING_PUNCT)]
              for index in judged if not pieces[index].alike}
    trials = [(index, _renamed(pieces[index], name)) for index, names_here in others.items() for name in names_here]
    scores = score([_sentence(pieces)] + [_sentence(reverted(pieces, {index})) for index in judged]
                   + [_sentence([*pieces[:index], piece, *pieces[index + 1 :]]) for index, piece in trials])
    heard = dict(zip(judged, scores[1 : 1 + len(judged)], strict=True))
    rivals: dict[int, tuple[float, str]] = {}  # per placed name, the likeliest other name at its place
    for (index, piece), trial_score in zip(trials, scores[1 + len(judged) :], strict=True):
        if index not in rivals or trial_score > rivals[index][0]:
            rivals[index] = (trial_score, piece.text)
    refused: set[int] = set()
    notes: list[dict[str, Any]] = []
    for index in judged:
        gain = scores[0] - heard[index]
        note: dict[str, Any] = {"written": pieces[index].text, "heard": " ".join(pieces[index].replaced),
                                "gain": round(gain, 2)}
        if pieces[index].alike:
            kept = gain >= margin
        else:
            rival = rivals.get(index)
            likelier = rival is not None and rival[0] > scores[0]
            kept = gain >= PLACED_SUBSTITUTION_MARGIN and not likelier
            if rival is not None and likelier:
                note["likelier"] = rival[1]
        if not kept:
            refused.add(index)
        notes.append({**note, "kept": kept})
    return reverted(pieces, refused), notes


def _renamed(piece: Piece, name: str) -> Piece:
    return replace(piece, text=name + closing_punctuation(piece.text))


def _sentence(pieces: Sequence[Piece]) -> str:
    return " ".join(piece.text for piece in pieces)


def reverted(pieces: Sequence[Piece], indices: set[int]) -> list[Piece]:
    """`pieces` with those at `indices` back to the plain tokens they replaced."""
    out: list[Piece] = []
    for index, piece in enumerate(pieces):
        if index in indices:
            out += [Piece(token, piece.anchor + offset, False) for offset, token in enumerate(piece.replaced)]
        else:
            out.append(piece)
    return out
