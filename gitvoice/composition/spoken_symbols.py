"""The words of a transcript, and the symbols people speak among them: "api slash users dot py" is
`api/users.py`, "dash dash dry run" `--dry-run`, "version three point eleven" "version 3.11", "issue forty
two" "issue #42".

Each finder returns replacements of token ranges, so gitvoice.composition.restore can keep the identifiers
of the vocabulary away from what is already taken. Pure: strings in, strings out.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from gitvoice.composition.identifiers import FUNCTION_WORDS
from gitvoice.composition.phonetic import code_word, phonetic_key, similarity
from gitvoice.composition.text import number_value

# Spoken punctuation inside a name: "api slash users dot py", "load underscore settings".
SYMBOL_WORDS = {"dot": ".", "slash": "/", "underscore": "_", "dash": "-", "hyphen": "-"}
# How people say file extensions aloud after "dot" beyond what phonetic.HOMOPHONES knows ("dot markdown").
_SPOKEN_EXTENSIONS = {"markdown": "md", "jay-ess": "js", "jays": "js", "rust": "rs", "yml": "yml"}
# File extensions worth joining to the word before "dot" without a vocabulary: "retry dot py" -> `retry.py`.
EXTENSIONS = frozenset({
    "py", "pyi", "ipynb", "toml", "yaml", "yml", "json", "md", "rst", "txt", "cfg", "ini", "lock", "env", "js",
    "mjs", "cjs", "ts", "tsx", "jsx", "rs", "go", "rb", "java", "kt", "swift", "c", "h", "cpp", "hpp", "cs",
    "sh", "bash", "zsh", "sql", "csv", "html", "css", "scss", "xml", "proto", "tf", "lua", "php", "pl", "r",
    "dart", "vue", "svelte"
})
_EDGE_PUNCT = "\"'()[]{}<>,;:!?`"
_ACRONYM_RE = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # "I.D", "O.S" (the last dot comes off before)
_NAME_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’]s)?")  # a word that can be part of a name or flag


@dataclass(frozen=True)
class Token:
    start: int  # character span of the word in the text, edge punctuation excluded
    end: int
    word: str  # the word without edge punctuation: "users.py" of "(users.py),"
    closes: bool  # punctuation after it ends a run (a comma: "fetch user, and")
    opens: bool  # punctuation before it starts a run


@dataclass(frozen=True)
class Replacement:
    first: int  # index of the first token replaced
    stop: int  # index after the last token replaced
    text: str  # what the tokens become: "--dry-run", "#42", "api/users.py"


def tokenize(text: str) -> list[Token]:
    tokens = []
    chunks = list(re.finditer(r"\S+", text))
    for position, match in enumerate(chunks):
        chunk = match.group(0)
        left = len(chunk) - len(chunk.lstrip(_EDGE_PUNCT))
        core = chunk.strip(_EDGE_PUNCT)
        # A sentence's full stop is not part of a name: "users.py." -> "users.py" then ".".
        core = core.rstrip(".")
        core = core.strip(_EDGE_PUNCT)
        if not core:
            continue
        start = match.start() + left
        end = start + len(core)
        following = chunks[position + 1].group(0) if position + 1 < len(chunks) else ""
        if _acronym_dot(core, text[end : end + 1], following):
            end += 1  # "by I.D. to" -> "I.D.", so the dot goes with the acronym when it is replaced
        tokens.append(Token(start, end, text[start:end], closes=end < match.end(), opens=left > 0))
    return tokens


_CHAIN_RE = re.compile(r"\S+")


def spaced_chains(text: str) -> str:
    """`text` with each word Whisper chained with hyphens around a spoken symbol spaced out, so that its pieces
    can be read as words: "crip-slash-release.sh-n-up-date" -> "crip slash release.sh n up date". A hyphenated
    English word ("up-to-date") has no spoken symbol in it and stays."""
    def spaced(match: re.Match[str]) -> str:
        word = match.group(0)
        parts = word.split("-")
        if len(parts) < 3 or not any(part.lower().rstrip(".,;:!?") in SYMBOL_WORDS for part in parts[1:-1]):
            return word
        return " ".join(part for part in parts if part)

    return _CHAIN_RE.sub(spaced, text)


def _acronym_dot(core: str, after: str, following: str) -> bool:
    """Whether the dot after a dotted acronym is its own rather than a full stop: the sentence goes on in
    lower case ("I.D. to" yes, "I.D. Then" and a last "I.D." no)."""
    return after == "." and bool(_ACRONYM_RE.fullmatch(core)) and following[:1].islower()


def joined(tokens: Sequence[Token]) -> bool:
    """Whether the tokens are one phrase: no comma, bracket or full stop between them."""
    return not any(t.closes for t in tokens[:-1]) and not any(t.opens for t in tokens[1:])


def spelled_letters(word: str) -> str | None:
    """The letters of a spelled acronym in lower case: "I.D" -> "id", "O.S." -> "os", "P" -> "p"; None for
    words ("ID" is a word Whisper wrote, "a" an article)."""
    if re.fullmatch(r"[A-Z]", word):
        return word.lower()
    if _ACRONYM_RE.fullmatch(word.rstrip(".")):
        return word.replace(".", "").lower()
    return None


def extension_for(spoken: str) -> str:
    """The extension a word after "dot" names: "pie" -> "py", "Jason" -> "json", "markdown" -> "md"."""
    lower = spoken.lower()
    return _SPOKEN_EXTENSIONS.get(lower) or code_word(lower)


# --- flags ---------------------------------------------------------------------------------------------------

# Words that end a spoken flag: "a dash dash dry run flag", "dash dash verbose implies", "--log-level debug".
_FLAG_ENDS = FUNCTION_WORDS | frozenset({
    "flag", "flags", "option", "options", "switch", "switches", "argument", "arguments", "arg", "args",
    "parameter", "parameters", "param", "params", "and", "or", "but", "now", "also", "imply", "implies",
    "implied", "prints", "print", "works", "work", "turns", "makes", "make", "takes", "skips", "passes", "dash",
    "hyphen"
})
# Values that follow a flag rather than belong to it: "dash dash log level debug" -> `--log-level debug`.
_FLAG_VALUES = frozenset({
    "debug", "info", "warning", "warn", "error", "critical", "true", "false", "yes", "no", "none", "all",
    "auto", "always", "never"
})
_MAX_FLAG_WORDS = 3


def spoken_flags(tokens: Sequence[Token], vocabulary: Collection[str]) -> list[Replacement]:
    """`--dry-run` for "dash dash dry run", `-v` for "dash v". A flag of the vocabulary wins ("dash dash log
    level" -> `--log-level` when the diff has it, "dash dash vermos" -> `--verbose` when it is the one flag
    that sounds so); without one the flag takes the 1-3 words up to the first that cannot be part of it
    ("flag", "and", a verb, a value like "debug"). A flag of the vocabulary said without its dashes but
    named as one is that flag too: "the legacy format flag" -> "the `--legacy-format` flag"."""
    flags = {f.lower(): f for f in vocabulary if f.startswith("-")}
    result: list[Replacement] = []
    index = 0
    while index < len(tokens):
        dashes, used = _dashes_at(tokens, index)
        together = joined(tokens[index : index + used + 1])  # no punctuation between the dashes and the word
        words = _flag_words(tokens, index + used) if dashes and (together or (dashes == 2 and flags)) else []
        if dashes == 1 and words and len(words[0]) == 1 and words[0] != "a":
            result.append(Replacement(index, index + 2, "-" + words[0]))  # "dash v" -> -v
            index += 2
            continue
        if dashes != 2 or not words:
            named = _named_flag(tokens, index, flags) or (None if dashes else _rhymed_flag(tokens, index, flags))
            if named:
                result.append(named)
                index = named.stop
            else:
                index += 1
            continue
        text, count = _long_flag(words, flags)
        if not together and text not in flags.values():
            index += 1  # "dash dash, no cash": past Whisper's comma only a flag of the change is taken
            continue
        result.append(Replacement(index, index + used + count, text))
        index += used + count
    return result


_FLAG_NOUNS = frozenset({"flag", "flags", "option", "options", "switch", "argument"})
_FLAG_MATCH = 0.7  # letters or sound of spoken words against a flag of the vocabulary


def _named_flag(tokens: Sequence[Token], index: int, flags: dict[str, str]) -> Replacement | None:
    """A flag of the vocabulary whose words start at `index` and are followed by "flag" or "option"."""
    for count in range(_MAX_FLAG_WORDS, 0, -1):
        stop = index + count
        if stop >= len(tokens) or tokens[stop].word.lower() not in _FLAG_NOUNS \
                or not joined(tokens[index : stop + 1]):
            continue
        words = [_flag_word(t.word) for t in tokens[index:stop]]
        spelled = flags.get("--" + "-".join(code_word(w) for w in words))
        if spelled and (count > 1 or len(words[0]) > 3):  # not "the all flag" for `--all`: too common
            return Replacement(index, stop, spelled)
    return None


# tiny.en hears "dash" as a word that rhymes with it, often hyphenated to what follows: "the Nash-Out option" for
# "the dash dash out option", "mash-shash-shin" for "dash dash since".
_DASH_RHYME_RE = re.compile(r"[a-z]{0,2}ash")


def _rhymed_flag(tokens: Sequence[Token], index: int, flags: dict[str, str]) -> Replacement | None:
    """A flag of the vocabulary said after one or two words Whisper heard for "dash" ("Nash-Out" -> `--out`,
    "Nash Nash verbose" -> `--verbose`): only a flag of the change, which the words name exactly or nearly
    (_long_flag); without one "Nash" is a name. The words must be the whole of the tokens they are in."""
    words: list[tuple[str, int]] = []  # the words from `index` on, hyphenated parts apart, with their token
    for at in range(index, min(len(tokens), index + _MAX_FLAG_WORDS + 2)):
        if at > index and not joined(tokens[at - 1 : at + 1]):
            break
        words += [(part, at) for part in tokens[at].word.split("-") if part]
    rhymes = 0
    while rhymes < min(2, len(words) - 1) and _DASH_RHYME_RE.fullmatch(words[rhymes][0].lower()):
        rhymes += 1
    named = [_flag_word(word) for word, _ in words[rhymes : rhymes + _MAX_FLAG_WORDS]]
    if not rhymes or not flags or not named or not all(_NAME_WORD_RE.fullmatch(word) for word in named):
        return None
    text, count = _long_flag(_until_end(named), flags)
    last = rhymes + count - 1
    if text not in flags.values() or (last + 1 < len(words) and words[last + 1][1] == words[last][1]):
        return None  # not a flag of the change, or it would end inside a hyphenated word
    return Replacement(index, words[last][1] + 1, text)


def _until_end(words: list[str]) -> list[str]:
    """The words up to one that ends a flag ("option", "and")."""
    for position, word in enumerate(words):
        if word in _FLAG_ENDS:
            return words[:position]
    return words


def _long_flag(words: list[str], flags: dict[str, str]) -> tuple[str, int]:
    """(the flag, how many of the words it takes): the longest flag of the vocabulary the words begin (or the
    one they sound like), else the words up to a value ("log level debug" -> `--log-level`)."""
    for count in range(len(words), 0, -1):
        spelled = flags.get("--" + "-".join(code_word(w) for w in words[:count]))
        if spelled:
            return spelled, count
    for count in range(len(words), 0, -1):
        near = _nearest_flag("-".join(code_word(w) for w in words[:count]), flags)
        if near:
            return near, count
    words = _until_value(words)
    return "--" + "-".join(code_word(w) for w in words), len(words)


def _nearest_flag(spoken: str, flags: dict[str, str]) -> str | None:
    """The one long flag of the vocabulary that `spoken` (its words joined by "-") nearly spells or sounds
    like: "vermos" for `--verbose`. None when none is near or two are equally near."""
    scored = sorted(((max(similarity(spoken, key[2:]), similarity(phonetic_key(spoken), phonetic_key(key[2:]))),
                      flag) for key, flag in flags.items() if key.startswith("--") and len(key) > 5),
                    reverse=True)
    if not scored or scored[0][0] < _FLAG_MATCH or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _dashes_at(tokens: Sequence[Token], index: int) -> tuple[int, int]:
    """(spoken dashes, tokens they take) at `index`: "dash dash" is (2, 2), "dash-dash" (2, 1), "dash" (1, 1)."""
    word = tokens[index].word.lower()
    if word == "dash-dash":
        return 2, 1
    if word != "dash":
        return 0, 0
    following = tokens[index + 1].word.lower() if index + 1 < len(tokens) else ""
    return (2, 2) if following == "dash" and joined(tokens[index : index + 2]) else (1, 1)


def _flag_words(tokens: Sequence[Token], index: int) -> list[str]:
    words: list[str] = []
    for token in tokens[index : index + _MAX_FLAG_WORDS]:
        word = token.word
        if not _NAME_WORD_RE.fullmatch(word) or (word.lower() in _FLAG_ENDS and not (
                word.lower() == "no" and not words)):  # "dash dash no cache" is `--no-cache`
            break
        words.append(_flag_word(word))
        if token.closes:
            break
    return words


def _flag_word(word: str) -> str:
    """A word of a flag: "worker's" -> "workers" (Whisper hears a possessive in "dash dash max workers")."""
    return word.lower().replace("'s", "s").replace("’s", "s")


def _until_value(words: list[str]) -> list[str]:
    for index, word in enumerate(words[1:], 1):
        if word in _FLAG_VALUES:
            return words[:index]
    return words


# --- numbers: versions and issues ---------------------------------------------------------------------------

_ZERO_WORDS = frozenset({"oh", "o", "zero"})
# Names said before a version, written as their projects write them: "python three point eleven" -> "Python 3.11".
_PRODUCTS = {"python": "Python", "node": "Node", "django": "Django", "ruby": "Ruby", "java": "Java", "go": "Go",
             "rust": "Rust", "postgres": "Postgres", "postgresql": "PostgreSQL", "kotlin": "Kotlin"}
# Words after which a number is an issue: "issue forty two", "bug 7", "pull request one hundred and eighteen".
_ISSUE_WORDS = frozenset({"issue", "issues", "bug", "ticket", "pr"})
_NUMBER_MARKS = frozenset({"number", "no", "num", "#"})
# "pull" as tiny.en hears it before "request" and a number ("Paul request 100 and 18"): written "pull request".
_PULL_SOUNDS = frozenset({"pull", "paul", "pool"})


def spoken_numbers(tokens: Sequence[Token]) -> list[Replacement]:
    """Versions and issue numbers: "version three point eleven" -> "version 3.11", "issue forty two" ->
    "issue #42", "pull request seven" -> "pull request #7". Other numbers are left to
    gitvoice.composition.text.normalize_numbers, which the composer applies."""
    result: list[Replacement] = []
    index = 0
    while index < len(tokens):
        found = _version_at(tokens, index) or _issue_at(tokens, index)
        if found is None:
            index += 1
            continue
        result.append(found)
        index = found.stop
    return result


def _number_run(tokens: Sequence[Token], index: int, after_point: bool = False) -> int:
    """The index after the run of number words or digits at `index` ("ten twenty four", "one hundred and
    five", "42"); `index` when there is none. "oh" counts as zero inside a number, never first."""
    stop = index
    while stop < len(tokens):
        word = tokens[stop].word.lower()
        is_zero = word in _ZERO_WORDS and (stop > index or after_point)
        if word == "and" and stop > index and _has_scale(tokens[index:stop]) and stop + 1 < len(tokens) \
                and (_is_number_word(tokens[stop + 1].word) or tokens[stop + 1].word.isdigit()):
            stop += 1
            continue
        if not (word.isdigit() or is_zero or _is_number_word(word)):
            break
        stop += 1
        if tokens[stop - 1].closes:
            break
    return stop


def _is_number_word(word: str) -> bool:
    return not word.isdigit() and number_value(word) is not None


def _has_scale(tokens: Sequence[Token]) -> bool:
    """Whether the words name hundreds: "one hundred", or "100" as Whisper writes it ("100 and 18")."""
    return any(t.word.lower() in ("hundred", "thousand") or _hundreds(t.word) for t in tokens)


def _hundreds(word: str) -> bool:
    return word.isdigit() and int(word) >= 100 and int(word) % 100 == 0


def spoken_number(words: Sequence[str]) -> str | None:
    """The digits of a spoken number: "forty two" -> "42", "one hundred and eighteen" -> "118", and numbers
    read in groups as people read issue numbers and versions: "ten twenty four" -> "1024", "two oh three" ->
    "203", "three eleven" -> "311". None for words that are not a number."""
    if not words:
        return None
    if any(w.lower() in ("hundred", "thousand") for w in words):
        value = number_value(" ".join(words))
        return None if value is None else str(value)
    if len(words) == 3 and _hundreds(words[0]) and words[1].lower() == "and":  # "100 and 18": Whisper's digits
        rest = int(words[2]) if words[2].isdigit() else number_value(words[2])
        return None if rest is None or not 0 < rest < 100 else str(int(words[0]) + rest)
    groups: list[str] = []
    index = 0
    while index < len(words):
        word = words[index].lower()
        value = 0 if word in _ZERO_WORDS else (int(word) if word.isdigit() else number_value(word))
        if value is None:
            return None
        following = words[index + 1].lower() if index + 1 < len(words) else ""
        unit = number_value(following) if following and not following.isdigit() else None
        if 20 <= value < 100 and value % 10 == 0 and unit is not None and 0 < unit < 10:
            value, index = value + unit, index + 1  # "forty two" is one group
        groups.append(str(value))
        index += 1
    return "".join(groups)


def _version_at(tokens: Sequence[Token], index: int) -> Replacement | None:
    """ "three point eleven" -> "3.11", "two point four point oh" -> "2.4.0", with a product before it
    capitalised as the project writes it ("python 3.11" -> "Python 3.11")."""
    stop = _number_run(tokens, index)
    if stop == index:
        return None
    parts = [spoken_number([t.word for t in tokens[index:stop]])]
    while stop + 1 < len(tokens) and tokens[stop].word.lower() in ("point", "dot") and not tokens[stop - 1].closes \
            and joined(tokens[stop : stop + 2]):
        after = _number_run(tokens, stop + 1, after_point=True)
        if after == stop + 1:
            break
        parts.append(spoken_number([t.word for t in tokens[stop + 1 : after]]))
        stop = after
    if len(parts) < 2 or None in parts:
        return None
    if len(parts) == 2 and parts[0] == "1" and index > 0 and tokens[index - 1].word.lower() == "at":
        return None  # "at one point two users" is a moment, not a version
    version = ".".join(p for p in parts if p is not None)
    before = tokens[index - 1].word.lower() if index > 0 else ""
    if before in _PRODUCTS and joined(tokens[index - 1 : index + 1]):
        return Replacement(index - 1, stop, f"{_PRODUCTS[before]} {version}")
    return Replacement(index, stop, version)


def _issue_at(tokens: Sequence[Token], index: int) -> Replacement | None:
    """ "issue forty two" -> "issue #42", "issue number 42" -> "issue #42", "pull request seven" -> "pull
    request #7"; the replacement starts after the issue word."""
    word = tokens[index].word.lower()
    at = index + 1
    pull = word in _PULL_SOUNDS and at < len(tokens) and tokens[at].word.lower() == "request"
    if pull:
        at += 1
    elif word not in _ISSUE_WORDS:
        return None
    # The number replaces what follows the issue words, or with them "Paul request" (tiny.en's "pull request").
    first, mark = (index, "pull request #") if pull and word != "pull" else (at, "#")
    if at < len(tokens) and tokens[at].word.lower().rstrip(".") in _NUMBER_MARKS and joined(tokens[at - 1 : at + 1]):
        at += 1
    if at >= len(tokens) or not joined(tokens[at - 1 : at + 1]):
        return None
    if re.fullmatch(r"\d+(?:-\d+)+", tokens[at].word):  # "issue 3-11": Whisper's pause between digits
        return Replacement(first, at + 1, mark + tokens[at].word.replace("-", ""))
    stop = _number_run(tokens, at)
    number = spoken_number([t.word for t in tokens[at:stop]]) if stop > at else None
    if number is None or (stop == at + 1 and tokens[at].word.lower() == "one"):
        return None  # "the issue one user hit" is prose; "issue 1" comes written as a digit
    return Replacement(first, stop, mark + number)


# --- names joined by spoken symbols --------------------------------------------------------------------------

def symbol_chains(tokens: Sequence[Token], taken: Collection[int]) -> list[Replacement]:
    """Names joined by spoken symbols without a vocabulary, where the joining is not in doubt: "api slash users
    dot pie" -> `api/users.py`, "load underscore settings" -> `load_settings`, "dot github slash workflows"
    -> `.github/workflows`. "dot" joins only a file extension ("the dot product" stays), "dash" only inside
    a path, a path only when it names a file or starts with a dot ("read slash write" stays), and no symbol
    joins a function word ("to underscore the point" stays)."""
    result: list[Replacement] = []
    index = 0
    while index < len(tokens):
        chain = _chain_at(tokens, index, taken)
        if chain is None:
            index += 1
            continue
        result.append(chain)
        index = chain.stop
    return result


def _chain_at(tokens: Sequence[Token], index: int, taken: Collection[int]) -> Replacement | None:
    leading_dot = tokens[index].word.lower() == "dot"
    at = index + 1 if leading_dot else index
    name = _name_at(tokens, at, taken)
    if name is None:
        return None
    # (text, index of the token after it): a chain can be cut back at any piece.
    pieces: list[tuple[str, int]] = [(".", at)] if leading_dot else []
    pieces.append((name[1], name[0]))
    stop = name[0]
    while stop + 1 < len(tokens) and stop not in taken and tokens[stop].word.lower() in SYMBOL_WORDS \
            and joined(tokens[stop - 1 : stop + 2]):
        following = _name_at(tokens, stop + 1, taken)
        if following is None:
            break
        symbol = SYMBOL_WORDS[tokens[stop].word.lower()]
        pieces.append((symbol, stop + 1))
        pieces.append((extension_for(following[1]) if symbol == "." else following[1], following[0]))
        stop = following[0]
    return _checked_chain(index, pieces)


def _checked_chain(first: int, pieces: list[tuple[str, int]]) -> Replacement | None:
    """The chain cut back before its first link in doubt; None when what is left is not surely code."""
    texts = [text for text, _ in pieces]
    leading_dot = texts[0] == "."
    keep = len(texts)
    for position in range(2 if leading_dot else 1, len(texts), 2):
        symbol, following = texts[position], texts[position + 1]
        if (symbol == "." and following.lower() not in EXTENSIONS) or (symbol == "-" and "/" not in texts):
            keep = position
            break
    kept = texts[:keep]
    symbols = set(kept[2 if leading_dot else 1 :: 2])
    # Sure: a file ("retry dot py"), a dotfile's path (".github/workflows"), names joined by "underscore".
    # Not sure: "ID slash users", which Whisper may have made of "A P I slash users dot pie".
    if len(kept) < 3 or not (kept[-2] == "." or (leading_dot and "/" in symbols) or symbols == {"_"}):
        return None
    if "/" in kept or "." in kept:
        # A path is written in lower case but for names like README: "Docs slash setup dot MD" is
        # docs/setup.md (a capital that only starts the sentence, an acronym as Whisper writes it).
        kept = [p.lower() if (p.isupper() and len(p) <= 4) or (i == 0 and p.istitle()) else p
                for i, p in enumerate(kept)]
    return Replacement(first, pieces[keep - 1][1], "".join(kept))


def _name_at(tokens: Sequence[Token], index: int, taken: Collection[int]) -> tuple[int, str] | None:
    """(index after it, the name) of a name-like word or a spelled acronym at `index` ("A P I" -> "api")."""
    if index >= len(tokens) or index in taken:
        return None
    letters = ""
    stop = index
    while stop < len(tokens) and stop not in taken and len(tokens[stop].word) == 1 \
            and spelled_letters(tokens[stop].word) and (stop == index or joined(tokens[stop - 1 : stop + 1])):
        letters += tokens[stop].word.lower()
        stop += 1
    if letters:
        return stop, letters
    word = tokens[index].word
    lower = word.lower()
    if not _NAME_WORD_RE.fullmatch(word) or lower in FUNCTION_WORDS or lower in SYMBOL_WORDS:
        return None
    return index + 1, word
