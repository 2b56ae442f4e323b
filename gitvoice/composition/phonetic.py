"""How a word sounds, for matching what Whisper heard against the names of the code.

Whisper mis-hears names it was primed with in ways that keep their sound: "is valid email" comes back as
"this valid email", "max retries" as "Mac free tries". A phonetic key (a compact Metaphone, after Lawrence
Philips, 1990) maps words that sound alike to the same consonant skeleton ("valid" and "valet" -> "FLT"), and
an edit distance over those keys and over the letters says how far a run of spoken words is from a name.

Pure: strings in, strings and numbers out.
"""

from __future__ import annotations

from functools import lru_cache

_VOWELS = frozenset("aeiou")
# Silent first letters: "knob" -> "nob", "write" -> "rite", "gnu" -> "nu", "pneumatic" -> "neumatic".
_SILENT_STARTS = ("kn", "gn", "pn", "wr", "ae")
# Letters that always sound the same, whatever surrounds them.
_PLAIN = {"f": "F", "j": "J", "l": "L", "m": "M", "n": "N", "r": "R", "q": "K", "v": "F", "z": "S"}

# What Whisper writes for the sounds of code parts: "dot pie" is `.py`, "settings dot tommel" `settings.toml`,
# "Jason" `json`, "sequel" `sql`, "Mac retries" `MAX_RETRIES`. Only ever used to match names of the
# vocabulary: "pie" stays "pie" in prose.
HOMOPHONES: dict[str, str] = {
    "pie": "py", "pi": "py", "pye": "py",
    "tommel": "toml", "tomel": "toml", "tomml": "toml", "tom-l": "toml",
    "yamel": "yaml", "yammel": "yaml", "yamil": "yaml",
    "jason": "json", "jayson": "json",
    "sequel": "sql",
    "mac": "max", "macs": "max",
    "cash": "cache",
}


def code_word(word: str) -> str:
    """The code part a spoken word stands for: "Jason" -> "json", "pie" -> "py", "user" -> "user"."""
    lower = word.lower()
    return HOMOPHONES.get(lower, lower)


@lru_cache(maxsize=4096)
def phonetic_key(word: str) -> str:
    """A Metaphone-like key: consonant sounds, a leading vowel as "A", digits kept ("utf8" -> "UTF8").

    "this" -> "0S", "is" -> "AS", "valid" -> "FLT", "email" -> "AML", "retries" -> "RTRS", "webhook" -> "WBHK".
    """
    letters = "".join(c for c in word.lower() if c.isalnum())
    if letters.startswith(_SILENT_STARTS):
        letters = letters[1:]
    elif letters.startswith("x"):
        letters = "s" + letters[1:]  # "xylophone"
    elif letters.startswith("wh"):
        letters = "w" + letters[2:]  # "which"
    out: list[str] = []
    for index, char in enumerate(letters):
        following = letters[index + 1 : index + 2]
        if index > 0 and char == letters[index - 1] and not (char == "c" and following and following in "iey"):
            continue  # "dd" sounds like "d", "account" like "acount"; "access" keeps both c
        out.append(_sound(letters, index))
    return "".join(out)


def _sound(word: str, i: int) -> str:
    """The sound of `word[i]` in its context: "" when silent or an inner vowel."""
    char = word[i]
    before = word[i - 1] if i > 0 else ""
    after = word[i + 1] if i + 1 < len(word) else ""
    if char in _VOWELS:
        return "A" if i == 0 else ""
    if char.isdigit():
        return char
    if char in _PLAIN:
        return _PLAIN[char]
    if char in "cdgtsp":
        return _context_sound(word, i, char, before, after)
    if char == "b":
        return "" if before == "m" and not after else "B"  # "dumb"
    if char == "h":
        return "H" if after in _VOWELS and not (before and before in "cgpst") else ""  # "hook", not "shoe"
    if char == "k":
        return "" if before == "c" else "K"
    if char in "wy":
        return char.upper() if after in _VOWELS else ""
    if char == "x":
        return "KS"
    return ""


def _context_sound(word: str, i: int, char: str, before: str, after: str) -> str:
    """The letters whose sound depends on their neighbours: c, d, g, t, s, p."""
    rest = word[i + 1 : i + 3]
    if char == "c":
        if after == "h" or rest == "ia":
            return "K" if before == "s" else "X"  # "school", "check"
        return "S" if after in "iey" and after else "K"
    if char == "d":
        return "J" if after == "g" and word[i + 2 : i + 3] in ("e", "i", "y") else "T"  # "edge"
    if char == "g":
        if after == "h" and word[i + 2 : i + 3] not in _VOWELS:
            return ""  # "night"
        if (after == "n" and i + 2 >= len(word)) or (before == "d" and after in "iey" and after):
            return ""  # "sign", "edge"
        return "J" if after in "iey" and after else "K"
    if char == "t":
        if rest in ("ia", "io"):
            return "X"  # "nation"
        if after == "h":
            return "0"  # "this", "auth"
        return "" if rest == "ch" else "T"  # "match"
    if char == "s":
        return "X" if after == "h" or rest in ("io", "ia") else "S"
    return "F" if after == "h" else "P"  # "graph"


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance between `a` and `b`, or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """1 for equal strings, 0 for nothing in common: 1 - distance / longer length. Below `floor` the exact
    value is not needed, so the distance stops early and 0 comes back."""
    longest = max(len(a), len(b))
    if not longest:
        return 1.0
    limit = int(longest * (1 - floor))
    distance = edit_distance(a, b, limit)
    return 0.0 if distance > limit else 1 - distance / longest
