"""Identifiers restored in a transcript: a run of spoken words that spells a name of the code becomes that name.

"fetch user" -> `fetch_user`, "get user by ID" -> `getUserById`, "A P I slash users dot pie" -> `api/users.py`.
Whisper also mis-hears names in ways that keep their sound ("this valid email" for `is_valid_email`, "Mac free
tries" for `MAX_RETRIES`): a run that sounds like one name of the vocabulary, clearly closer than to any other,
becomes it too (gitvoice.composition.phonetic). Spoken symbols need no vocabulary where they are not in doubt:
"dash dash dry run" -> `--dry-run`, "version three point eleven" -> "version 3.11", "issue forty two" -> "issue
#42" (gitvoice.composition.spoken_symbols).

Pure: no torch, no git.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from gitvoice.composition.identifiers import FUNCTION_WORDS, is_code_shaped
from gitvoice.composition.phonetic import code_word, edit_distance, phonetic_key, similarity
from gitvoice.composition.spoken_symbols import (
    SYMBOL_WORDS,
    Replacement,
    Token,
    extension_for,
    joined,
    spaced_chains,
    spelled_letters,
    spoken_flags,
    spoken_numbers,
    symbol_chains,
    tokenize,
)

_MIN_FUZZY_LENGTH = 6
_FUZZY_RATIO = 0.8  # difflib ratio: "getuserid" vs "getuserbyid" is 0.9
_MIN_COMPLETION_LENGTH = 4  # letters in a cut-off fragment before we complete it
_FUZZY_MARGIN = 0.05  # the best candidate must beat the next by this much
_MAX_RUN_WORDS = 8
_MAX_SOUND_WORDS = 6  # a mis-heard name is at most this many words: "get user by I D" is 4 ("I D" is one)
_MAX_RUN_TOKENS = 12  # ... and this many tokens, spoken symbols and letters included: "dot github slash ..."
_MIN_SOUND_LETTERS = 8  # shorter names are too easily heard in English: "is valid" in "this valid"
_SOUND_SCORE = 0.8  # mean of letter and sound similarity: "this valid email" vs `is_valid_email` is 0.87
_SOUND_FLOOR = 0.7  # below this similarity of letters or sounds a name is not a candidate at all
# A word that splits into an identifier's parts: "getUserById" -> get User By Id, "api/users.py" -> api / users . py.
_PART_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[./]")
_SEPARATOR_RE = re.compile(r"[\s_\-]")  # what a key ignores: "fetch-user", "fetch_user" and "fetch user" are one
_DOT_SLASH_RE = re.compile(r"([./])")  # what a key keeps, since it is spoken: "users dot py"
_NOT_ALNUM_RE = re.compile(r"[^a-z0-9]")
_INFLECTIONS = ("ing", "es", "ed", "s")
_STEM_VOWELS = ("e", "y", "i")  # what an inflection changes before it: "retry" -> "retries", "use" -> "used"
# Words that start a noun phrase: after "read me" they make it the verb and its object ("read me the log").
_NOUN_PHRASE_STARTS = frozenset({"the", "a", "an", "this", "that", "these", "those", "it", "my", "your", "our"})


@dataclass(frozen=True)
class _Name:
    identifier: str  # as the code spells it: "MAX_RETRIES", "api/users.py"
    letters: str  # lower case, "_" and "-" dropped, "." and "/" kept (they are spoken): "maxretries"
    sounds: str  # the phonetic keys of its parts, "." and "/" kept: "MKSRTRS" ("max", "retries")
    parts: tuple[str, ...]  # its words in lower case: ("max", "retries")


@dataclass(frozen=True)
class _Vocabulary:
    by_key: dict[str, str]  # letters -> identifier, for runs that spell a name exactly
    names: dict[str, _Name]  # identifier -> its name, prepared
    by_first: dict[str, tuple[_Name, ...]]  # sound of a name's first part -> names: candidates for a run
    by_last: dict[str, tuple[_Name, ...]]  # sound of a name's last part -> names
    flags: frozenset[str]  # command-line flags of the vocabulary: "--dry-run"


@dataclass(frozen=True)
class _Spoken:
    raw: str  # the token's letters as spoken: "pie" -> "pie", "I.D" -> "id", "dot" -> "."
    coded: str  # the same with code homophones read as code: "pie" -> "py", "Jason" -> "json"
    units: tuple[str, ...]  # coded parts, for sounds: "client.send" -> ("client", ".", "send")
    spelled: bool  # a spelled letter or acronym ("A", "I.D"): merged with its neighbours before sounding


def restore_identifiers(text: str, identifiers: Iterable[str]) -> str:
    """`text` with each run of words that spells an identifier (separators and case ignored) replaced by it:
    "fetch user" -> `fetch_user`, "get user by ID" -> `getUserById`, "A P I slash users dot pie" ->
    `api/users.py`. Plain English words that merely equal a non-code identifier ("list") stay words; a
    code-shaped word that misses a diff identifier by a letter or two ("getUserId") becomes it; a run that
    sounds like an identifier ("Mac free tries") becomes it when no other identifier sounds as close.
    Spoken flags, versions and issue numbers are written as such with or without identifiers."""
    vocabulary = _vocabulary(tuple(identifiers))
    text = spaced_chains(text)
    tokens = tokenize(text)
    replacements = spoken_flags(tokens, vocabulary.flags)
    taken = _taken(replacements)  # "dash dash retry twenty" is a flag before "twenty" can be a number
    replacements += [r for r in spoken_numbers(tokens) if not taken.intersection(range(r.first, r.stop))]
    if vocabulary.by_key:
        spoken = [_spoken(tokens, index) for index in range(len(tokens))]
        replacements += _path_matches(tokens, spoken, vocabulary, _taken(replacements))
        exact = _exact_matches(tokens, spoken, vocabulary, _taken(replacements))
        replacements += _widened(tokens, spoken, vocabulary, exact, _taken(replacements))
        replacements += _sound_matches(tokens, spoken, vocabulary, _taken(replacements))
        replacements += _article_none(tokens, vocabulary.by_key, _taken(replacements))
    replacements += symbol_chains(tokens, _taken(replacements))
    for found in sorted(replacements, key=lambda r: r.first, reverse=True):
        text = text[: tokens[found.first].start] + found.text + text[tokens[found.stop - 1].end :]
    return _rename_with_to(text, vocabulary.by_key.values())


# "Rename total to total_with_tax": tiny.en hears "to total" as one word ("Rename Total Total Wind Tax"), and its
# sentence scores prefer the shorter sentence, so the audio cannot put "to" back; two names of the change side by
# side after a renaming verb can only mean the old name and the new.
_RENAME_PAIR_RE = re.compile(r"\b((?:[Rr]enam|[Mm]ov)(?:e|es|ed|ing)) (\S+) (\S+?)(?=[,.;:!?]?(?:\s|$))")


def _rename_with_to(text: str, identifiers: Iterable[str]) -> str:
    names = set(identifiers)

    def with_to(match: re.Match[str]) -> str:
        verb, old, new = match.groups()
        if old in names and new in names and old != new:
            return f"{verb} {old} to {new}"
        return match.group(0)

    return _RENAME_PAIR_RE.sub(with_to, text)


def _taken(replacements: Iterable[Replacement]) -> set[int]:
    return {index for r in replacements for index in range(r.first, r.stop)}


# --- the vocabulary, prepared once per list of identifiers ----------------------------------------------------

@lru_cache(maxsize=16)
def _vocabulary(identifiers: tuple[str, ...]) -> _Vocabulary:
    by_key: dict[str, str] = {}
    names: list[_Name] = []
    for identifier in (i.strip() for i in identifiers):
        key = _identifier_key(identifier)
        if not key or identifier.startswith("-"):
            continue  # a flag is matched after "dash dash" only: "a dry run" is English
        if key not in by_key:
            by_key[key] = identifier
            names.append(_name(identifier, key))
    for identifier in list(by_key.values()):
        stem = _shouted_stem(identifier)
        if stem:
            by_key.setdefault(stem.lower(), identifier)  # "read me" -> README.md when there is no README
    by_first: dict[str, list[_Name]] = {}
    by_last: dict[str, list[_Name]] = {}
    for name in names:
        if len(_NOT_ALNUM_RE.sub("", name.letters)) >= _MIN_SOUND_LETTERS and name.parts:
            by_first.setdefault(phonetic_key(name.parts[0]), []).append(name)
            by_last.setdefault(phonetic_key(name.parts[-1]), []).append(name)
    return _Vocabulary(by_key, {name.identifier: name for name in names},
                       {k: tuple(v) for k, v in by_first.items()}, {k: tuple(v) for k, v in by_last.items()},
                       frozenset(i.strip() for i in identifiers if i.strip().startswith("-")))


def _identifier_key(identifier: str) -> str:
    """Case and word separators ignored; `.` and `/` kept, since they are spoken ("dot", "slash")."""
    return _SEPARATOR_RE.sub("", identifier.lower())


def _name(identifier: str, key: str) -> _Name:
    parts = [p.lower() for p in _PART_RE.findall(identifier)]
    sounds = "".join(p if p in "./" else phonetic_key(p) for p in parts)
    return _Name(identifier, key, sounds, tuple(p for p in parts if p not in "./"))


def _shouted_stem(identifier: str) -> str | None:
    """The upper-case stem of a file people name without its extension: "README.md" -> "README"."""
    match = re.fullmatch(r"([A-Z]{5,})\.[A-Za-z0-9]+", identifier)  # not "TODO.md": "things to do"
    return match.group(1) if match else None


# --- what each token spells ----------------------------------------------------------------------------------

def _spoken(tokens: Sequence[Token], index: int) -> _Spoken:
    """What a token spells inside a run: a spoken symbol its symbol, an acronym its letters, the word after
    "dot" an extension ("dot pie" -> ".py")."""
    word = tokens[index].word
    lower = word.lower()
    if lower in SYMBOL_WORDS:
        symbol = SYMBOL_WORDS[lower]
        return _Spoken(symbol, symbol, (symbol,) if symbol in "./" else (), False)
    letters = spelled_letters(word)
    if letters is not None:
        return _Spoken(letters, letters, (letters,), True)
    after_dot = index > 0 and tokens[index - 1].word.lower() == "dot"
    pieces = _DOT_SLASH_RE.split(lower)
    raw_pieces = [_after_dot(p, pieces, i) for i, p in enumerate(pieces)]
    if after_dot:
        raw_pieces[0] = extension_for(raw_pieces[0])
    raw = "".join(raw_pieces)
    coded = "".join(p if p in "./" else code_word(p) for p in raw_pieces)
    units = tuple(u for p in _DOT_SLASH_RE.split(coded) for u in ([p] if p in "./" else _PART_RE.findall(p)) if u)
    return _Spoken(_SEPARATOR_RE.sub("", raw), _SEPARATOR_RE.sub("", coded), units, False)


def _after_dot(piece: str, pieces: list[str], index: int) -> str:
    """ "users.pie" -> "users.py": an extension written after a dot inside one word."""
    return extension_for(piece) if index >= 2 and pieces[index - 1] == "." else piece


def _is_plain_word(word: str) -> bool:
    return word.isalpha() and not re.search(r"[a-z][A-Z]", word)


def _restorable(run: Sequence[Token], identifier: str, following: str = "") -> bool:
    """Whether a matching run of words really names the identifier rather than resembling it by accident;
    `following` is the next word in lower case, "" when the phrase ends with the run."""
    words = [t.word for t in run]
    if len(words) == 1:
        word = words[0]
        # A lone plain word stays a word: "list" even if the diff defines `list`, "setup" even if it
        # has `set_up`. Only a word written like code ("fetch-user", "FetchUser", "users.py") is taken.
        return word == identifier or not _is_plain_word(word)
    if _shouted_stem(identifier) or re.fullmatch(r"[A-Z]{5,}", identifier):
        # "update the read me" is `README`, but "read me the error" is English: a noun phrase after it.
        return following not in _NOUN_PHRASE_STARTS
    # "is valid" -> `is_valid`, "to json" -> `to_json`: two plain words led or closed by a function word
    # are far likelier English than code.
    return not (len(words) == 2 and all(_is_plain_word(w) for w in words)
                and (words[0].lower() in FUNCTION_WORDS or words[-1].lower() in FUNCTION_WORDS))


def _following(tokens: Sequence[Token], stop: int) -> str:
    """The word after a run ending before `stop`, in lower case; "" when punctuation or the text ends it."""
    return tokens[stop].word.lower() if stop < len(tokens) and joined(tokens[stop - 1 : stop + 1]) else ""


# --- runs that spell a name ----------------------------------------------------------------------------------

def _exact_matches(tokens: Sequence[Token], spoken: Sequence[_Spoken], vocabulary: _Vocabulary,
                   taken: set[int]) -> list[Replacement]:
    """The longest run at each word that spells an identifier, left to right."""
    result: list[Replacement] = []
    index = 0
    while index < len(tokens):
        match = None if index in taken else _longest_match(tokens, spoken, index, vocabulary, taken)
        if match is None:
            index += 1
            continue
        result.append(Replacement(index, index + match[0], match[1]))
        index += match[0]
    return result


def _longest_match(tokens: Sequence[Token], spoken: Sequence[_Spoken], index: int, vocabulary: _Vocabulary,
                   taken: set[int]) -> tuple[int, str] | None:
    by_key = vocabulary.by_key
    reach = _reach(tokens, index, taken, _MAX_RUN_WORDS)
    raw = list(itertools.accumulate(p.raw for p in spoken[index : index + reach]))  # keys of runs, by length
    coded = list(itertools.accumulate(p.coded for p in spoken[index : index + reach]))
    for length in range(reach, 0, -1):
        run = tokens[index : index + length]
        identifier = by_key.get(raw[length - 1]) or by_key.get(coded[length - 1])
        if identifier is not None and _symbols_inside(run) \
                and _restorable(run, identifier, _following(tokens, index + length)):
            return length, identifier
    token = tokens[index]
    fuzzy = _fuzzy_identifier(token.word, by_key)
    if fuzzy is None and index == len(tokens) - 1 and not token.closes:
        fuzzy = _completed_identifier(token.word, by_key)
    return (1, fuzzy) if fuzzy else None


def _reach(tokens: Sequence[Token], index: int, taken: set[int], most: int) -> int:
    """How many tokens from `index` on can form one run: none taken, no punctuation between, at most `most`."""
    count = 0
    while count < most and index + count < len(tokens) and index + count not in taken:
        if count and (tokens[index + count - 1].closes or tokens[index + count].opens):
            break
        count += 1
    return count


def _symbols_inside(run: Sequence[Token]) -> bool:
    """Spoken symbols join words: a run neither ends on one nor starts on one, but for a dotfile's dot
    ("dot github slash workflows")."""
    first, last = run[0].word.lower(), run[-1].word.lower()
    return last not in SYMBOL_WORDS and (first not in SYMBOL_WORDS or (first == "dot" and len(run) > 1))


def _spoken_key(words: list[str]) -> str:
    """The key of a run of transcript words, with spoken symbols and extension names read as code."""
    tokens = tokenize(" ".join(words))
    return "".join(_spoken(tokens, index).raw for index in range(len(tokens)))


def _completed_identifier(word: str, by_key: dict[str, str]) -> str | None:
    """The one identifier a cut-off last word begins ("os.en" for `os.environ`). Primed with a name, Whisper
    sometimes ends the transcript in the middle of it (a premature end-of-segment timestamp); a transcript
    that stops without a full stop on a code-shaped fragment of exactly one diff identifier gets it back."""
    if not is_code_shaped(word):
        return None
    key = _spoken_key([word])
    if len(_loose(key)) < _MIN_COMPLETION_LENGTH or key in by_key:
        return None
    matches = [identifier for candidate, identifier in by_key.items()
               if candidate.startswith(key) and is_code_shaped(identifier)]
    return matches[0] if len(matches) == 1 else None


def _fuzzy_identifier(word: str, by_key: dict[str, str]) -> str | None:
    """The one identifier a code-shaped word almost spells ("getUserId" for `getUserById`, "pis-users.py"
    for `api/users.py`): Whisper writes such words only because the prompt primed it with the real one."""
    if not is_code_shaped(word) or re.fullmatch(r"[a-z]+(?:-[a-z]+)+", word):
        return None
    key = _spoken_key([word])
    if key in by_key:
        return None
    # Compare letters and digits only: Whisper swaps separators freely ("api-users.py" for `api/users.py`).
    loose = _loose(key)
    if len(loose) < _MIN_FUZZY_LENGTH:
        return None
    scored = sorted(((SequenceMatcher(None, loose, _loose(candidate)).ratio(), candidate) for candidate in by_key
                     if is_code_shaped(by_key[candidate]) and len(_loose(candidate)) >= _MIN_FUZZY_LENGTH),
                    reverse=True)
    if not scored or scored[0][0] < _FUZZY_RATIO:
        return _one_member_misheard(key, by_key)
    if len(scored) > 1 and scored[1][0] >= scored[0][0] - _FUZZY_MARGIN:
        return None  # two near candidates: guessing would be worse than leaving the word
    return by_key[scored[0][1]]


def _one_member_misheard(key: str, by_key: dict[str, str]) -> str | None:
    """The one dotted name of the vocabulary a dotted word spells but for one member that sounds alike and
    begins alike: "map.max" for `Math.max`, "request.session.get" for `requests.Session.get`."""
    members = key.split(".")
    if len(members) < 2 or "" in members:
        return None
    found = []
    for candidate, identifier in by_key.items():
        others = candidate.split(".")
        if len(others) != len(members) or "/" in candidate:
            continue
        differing = [(heard, named) for heard, named in zip(members, others, strict=True) if heard != named]
        if len(differing) == 1 and _member_alike(*differing[0]):
            found.append(identifier)
    return found[0] if len(found) == 1 else None


def _member_alike(heard: str, named: str) -> bool:
    return len(named) >= 3 and heard[:1] == named[:1] and (
        similarity(heard, named) >= 0.5 or phonetic_key(heard) == phonetic_key(named))


def _loose(key: str) -> str:
    return _NOT_ALNUM_RE.sub("", key)


# --- paths said in pieces ------------------------------------------------------------------------------------

_EXTENSION_TWINS = ({"yaml", "yml"}, {"jpeg", "jpg"}, {"htm", "html"}, {"markdown", "md"})
_PATH_FOLDER_LIKENESS = 0.5  # letters of the spoken folders against the path's, when their counts differ


def _path_matches(tokens: Sequence[Token], spoken: Sequence[_Spoken], vocabulary: _Vocabulary,
                  taken: set[int]) -> list[Replacement]:
    """Paths of the vocabulary said as folders, "slash" and a file name Whisper heard right: "doc slash
    configuration dot md" -> `docs/configuration.md`, "the i slash users.py" -> `api/users.py`, "dot get home
    slash work floor slash ci dot yaml" -> `.github/workflows/ci.yml`. The file name must be the path's (its
    extension may be a twin: yaml/yml); the folders, as heard, must be as many as the path's or look like them."""
    paths = [name for name in vocabulary.names.values() if "/" in name.identifier]
    if not paths:
        return []
    result: list[Replacement] = []
    stop = len(tokens)
    while stop > 0:
        found = None if stop - 1 in taken else _path_ending_at(tokens, spoken, stop, paths, taken)
        if found is None:
            stop -= 1
            continue
        result.append(found)
        stop = found.first
    return result


def _path_ending_at(tokens: Sequence[Token], spoken: Sequence[_Spoken], stop: int, paths: Sequence[_Name],
                    taken: set[int]) -> Replacement | None:
    if stop >= 2 and len(tokens[stop - 1].word) == 1 and len(tokens[stop - 2].word) > 1 \
            and tokens[stop - 2].word.lower() != "dot":
        return None  # a letter after a whole word is no letter of its extension ("release.sh n" for "... and")
    best: tuple[float, int, str] | None = None
    for first in range(stop - 1, max(-1, stop - 1 - _MAX_RUN_TOKENS), -1):
        if first in taken or (first < stop - 1 and (tokens[first].closes or tokens[first + 1].opens)):
            break
        key = "".join(piece.raw for piece in spoken[first:stop])
        folders, slash, file_name = key.rpartition("/")
        opening = tokens[first].word.lower()
        if not slash or not folders or folders.endswith((".", "/")) or (opening in SYMBOL_WORDS and opening != "dot"):
            continue  # a run starts on a folder ("dot" of a dotfile included), never on a spoken symbol
        by_stem = [name for name in paths if name.letters.rpartition("/")[2].split(".")[0] == file_name]
        for name in paths:
            path_folders, _, path_file = name.letters.rpartition("/")
            if not _same_file_name(file_name, path_file) and not (len(by_stem) == 1 and name is by_stem[0]):
                continue  # the file name heard, or without its extension the one path it can be
            likeness = similarity(folders, path_folders)
            if likeness < _PATH_FOLDER_LIKENESS and not (
                    folders.count("/") == path_folders.count("/")
                    and _folder_words(spoken, first, stop) == path_folders.count("/") + 1):
                continue  # folders unlike the path's, unless heard as one word each ("the i slash users.py")
            if best is None or likeness > best[0]:
                best = (likeness, first, name.identifier)
    if best is None or best[2] == tokens[best[1]].word:
        return None
    return Replacement(best[1], stop, best[2])


def _folder_words(spoken: Sequence[_Spoken], first: int, stop: int) -> int:
    """Words said for the folders of a run: before its last slash ("floor/ci.yaml" has one inside)."""
    last = max(index for index in range(first, stop) if "/" in spoken[index].units)
    return _words_in(spoken[first:last]) + (spoken[last].units[0] != "/")


def _same_file_name(heard: str, name: str) -> bool:
    """ "users.py" and "users.py", "ci.yaml" and "ci.yml", "configuration.mb" and "configuration.md" (one
    letter of an extension mis-heard); not "user.py" and "users.py"."""
    if heard == name:
        return True
    heard_stem, _, heard_extension = heard.rpartition(".")
    stem, _, extension = name.rpartition(".")
    if not stem or heard_stem != stem:
        return False
    return any({heard_extension, extension} <= twins for twins in _EXTENSION_TWINS) or (
        len(stem) >= 3 and len(extension) >= 2 and edit_distance(heard_extension, extension, 1) <= 1)


def _widened(tokens: Sequence[Token], spoken: Sequence[_Spoken], vocabulary: _Vocabulary,
             exact: Sequence[Replacement], taken: set[int]) -> list[Replacement]:
    """Exact matches, each replaced by a longer name around it when the words around it make that name: "get
    user ID" is `getUserById` (its "by" unheard), not "get `user_id`", when the diff has both."""
    result: list[Replacement] = []
    for match in exact:
        inner = vocabulary.names.get(match.text)
        wider = None
        for first in range(match.first, max(-1, match.first - 3), -1):
            for stop in range(match.stop, min(len(tokens), match.stop + 2) + 1):
                if (first, stop) == (match.first, match.stop) or any(
                        i in taken for i in range(first, stop) if not match.first <= i < match.stop):
                    continue
                if first < match.first and _reach(tokens, first, set(), stop - first) < stop - first:
                    continue  # punctuation inside
                best = _best_sounding(spoken[first:stop], vocabulary)
                if best and inner and best[1].identifier != match.text \
                        and set(inner.parts) <= set(best[1].parts) and len(best[1].parts) > len(inner.parts) \
                        and (wider is None or best[0] > wider[0]):
                    wider = (best[0], Replacement(first, stop, best[1].identifier))
        result.append(wider[1] if wider else match)
    return result


# --- runs that sound like a name -----------------------------------------------------------------------------

def _sound_matches(tokens: Sequence[Token], spoken: Sequence[_Spoken], vocabulary: _Vocabulary,
                   taken: set[int]) -> list[Replacement]:
    """Runs of 2-6 words that sound like one name of the vocabulary: each run's best name, then the best runs
    that do not overlap ("this valid email" for `is_valid_email` rather than "valid email")."""
    found: list[tuple[float, int, Replacement]] = []
    for first in range(len(tokens)):
        for stop in range(first + 2, first + _reach(tokens, first, taken, _MAX_RUN_TOKENS) + 1):
            if _words_in(spoken[first:stop]) > _MAX_SOUND_WORDS:
                break
            run = tokens[first:stop]
            if not _symbols_inside(run):
                continue
            best = _best_sounding(spoken[first:stop], vocabulary)
            if best and _restorable(run, best[1].identifier, _following(tokens, stop)):
                found.append((best[0], stop - first, Replacement(first, stop, best[1].identifier)))
    result: list[Replacement] = []
    used: set[int] = set()
    for _, _, replacement in sorted(found, key=lambda f: (f[0], f[1]), reverse=True):
        span = set(range(replacement.first, replacement.stop))
        if not span & used:
            result.append(replacement)
            used |= span
    return result


def _words_in(pieces: Sequence[_Spoken]) -> int:
    """Words of a run, spoken symbols left out and spelled letters counted as one: "S R C slash main" is 2."""
    return sum(1 for i, p in enumerate(pieces)
               if p.units and p.units[0] not in "./" and not (p.spelled and i > 0 and pieces[i - 1].spelled))


def _best_sounding(pieces: Sequence[_Spoken], vocabulary: _Vocabulary) -> tuple[float, _Name] | None:
    """(score, name) of the one name a run sounds like, None when none is close or two are equally close."""
    units = _merged_units(pieces)
    words = [u for u in units if u not in "./"]
    if not words:
        return None  # only symbols or punctuation: "# #"
    letters = "".join(p.coded for p in pieces)
    sounds = "".join(u if u in "./" else phonetic_key(u) for u in units)
    candidates = {n.identifier: n for n in vocabulary.by_first.get(phonetic_key(words[0]), ())}
    candidates.update((n.identifier, n) for n in vocabulary.by_last.get(phonetic_key(words[-1]), ()))
    scored: list[tuple[float, _Name]] = []
    for name in candidates.values():
        if letters == name.letters or not _fits(words, name) or not _ends_fit(words, name):
            continue  # an exact spelling was already judged (and left as English) by _exact_matches
        if _plural_unheard(words, name):
            scored.append((1.0, name))
            continue
        by_letters = similarity(letters, name.letters, _SOUND_FLOOR)
        by_sound = similarity(sounds, name.sounds, _SOUND_FLOOR) if by_letters else 0.0
        if by_letters and by_sound:
            scored.append(((by_letters + by_sound) / 2, name))
    scored.sort(key=lambda s: s[0], reverse=True)
    if not scored or scored[0][0] < _SOUND_SCORE:
        return None
    if len(scored) > 1 and scored[1][0] >= scored[0][0] - _FUZZY_MARGIN:
        return None  # two names sound alike: guessing would be worse than leaving the words
    return scored[0]


def _merged_units(pieces: Sequence[_Spoken]) -> list[str]:
    """The run's parts, spelled letters merged into one ("A P I" -> "api") so they sound as a word does."""
    units: list[str] = []
    spelled = False
    for piece in pieces:
        if piece.spelled and spelled and units:
            units[-1] += piece.raw
        else:
            units.extend(piece.units)
        spelled = piece.spelled
    return units


def _fits(words: Sequence[str], name: _Name) -> bool:
    """Whether a run's words could be a mis-hearing of the name's parts rather than English near it: each
    function word stands for one of the name's ("this" for "is" in `is_valid_email`, never "the" in "update
    the callers" for `update_callers`), and the words are not the name's parts inflected ("load users" is
    English beside `load_user`; "user profile" too beside `user_profiles`, but "max attempt" is MAX_ATTEMPTS:
    tiny models drop a final "s", and a constant is rarely English)."""
    for word in words:
        if word in FUNCTION_WORDS and word not in name.parts and not any(
                part in FUNCTION_WORDS and (part in word or word in part) for part in name.parts):
            return False
    if _plural_unheard(words, name):
        return True
    return "".join(map(_stem, words)) != "".join(map(_stem, name.parts))


def _plural_unheard(words: Sequence[str], name: _Name) -> bool:
    """A constant said with its last part singular: "max attempt" for MAX_ATTEMPTS, "max retry" for
    MAX_RETRIES."""
    return name.identifier.isupper() and len(words) == len(name.parts) > 1 \
        and list(words[:-1]) == list(name.parts[:-1]) and _stem(words[-1]) == _stem(name.parts[-1]) \
        and len(words[-1]) < len(name.parts[-1])


def _ends_fit(words: Sequence[str], name: _Name) -> bool:
    """Whether the run begins and ends where the name does: "user profile page" is not `user_profile_page_id`
    and "valid email" not `is_valid_email` (a whole part missing), but "this" may be a mis-heard "is", "tries"
    the end of "retries", "sent" a mis-heard "send"."""
    first, last = words[0], words[-1]
    return _alike(first, name.parts[0], phonetic_key(name.parts[0]).startswith(phonetic_key(first))) \
        and _alike(last, name.parts[-1], phonetic_key(name.parts[-1]).endswith(phonetic_key(last)))


def _alike(word: str, part: str, sounds_within: bool) -> bool:
    """Whether a word can be a mis-hearing of a name's part; `sounds_within`: the word sounds like the piece
    of the part it stands for when the part is said in several words ("hak" for the "hook" of "webhook")."""
    if word in part or part in word or (sounds_within and len(phonetic_key(word)) >= 2):
        return True
    # Letters in common only from a first sound made the same way: "mac" for "max", "muffer" for "buffer" (both
    # with the lips), never "read" for "load" ("we read settings" is English beside `load_settings`).
    return phonetic_key(word) == phonetic_key(part) or (
        similarity(word, part) >= 0.5 and _onset(word) == _onset(part))


# First sounds a small model confuses, by where they are made (phonetic keys' first letters): lips, teeth and lip,
# tongue behind the teeth, hissing, back of the mouth. Any other sound is its own class.
_ONSET_CLASSES = ("BPM", "F", "TDN0", "SXJ", "KG")


def _onset(word: str) -> str:
    first = phonetic_key(word)[:1]
    return next((group for group in _ONSET_CLASSES if first and first in group), first)


def _stem(word: str) -> str:
    """The word without its inflection, so that forms of one word compare equal: "profiles" and "profile" ->
    "profil", "retries" and "retry" -> "retr", "loads" -> "load"."""
    for endings in (_INFLECTIONS, _STEM_VOWELS):
        for ending in endings:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
    return word


# --- None --------------------------------------------------------------------------------------------------

_ARTICLES = frozenset({"a", "an", "the"})


def _article_none(tokens: Sequence[Token], by_key: dict[str, str], taken: set[int]) -> list[Replacement]:
    """`None` for "a none response": the pronoun "none" never follows an article, Python's value does."""
    if by_key.get("none") != "None":
        return []
    return [Replacement(index, index + 1, "None") for index in range(1, len(tokens))
            if tokens[index].word.lower() == "none" and index not in taken
            and tokens[index - 1].word.lower() in _ARTICLES and not tokens[index - 1].closes]
