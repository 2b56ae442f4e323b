"""Which language a chunk is decoded in: an explicit language wins; otherwise Whisper's language identification
restricted to the allowed set (English unless configured).

Unrestricted, the multilingual base model heard Thai in an English recording and wrote Thai script: a
developer dictating a commit message speaks one of a few known languages, so the detector only chooses
among those.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gitvoice.core.errors import UsageError

DEFAULT_LANGUAGES = ("en",)  # what a multilingual model may detect when nothing else is configured


@dataclass(frozen=True)
class LanguageChoice:
    code: str  # the language to decode with
    source: str  # "english-only model" | "explicit" | "only allowed" | "detected"
    probability: float | None = None  # the detector's probability for `code`, when it ran


def language_code(name: str) -> str:
    """"en", "English" or "zh" / "Chinese" -> Whisper's code; UsageError for a language Whisper lacks."""
    from whisper.tokenizer import LANGUAGES, TO_LANGUAGE_CODE

    key = name.strip().lower()
    if key in LANGUAGES:
        return key
    if key in TO_LANGUAGE_CODE:
        return str(TO_LANGUAGE_CODE[key])
    raise UsageError(f"unknown language: {name}", hint="use a Whisper language code such as en, de or zh")


def allowed_languages(languages: Sequence[str] | None) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(language_code(name) for name in (languages or DEFAULT_LANGUAGES)))
    return codes or DEFAULT_LANGUAGES


def choose_language(multilingual: bool, language: str | None, languages: Sequence[str] | None,
                    detect: Callable[[], dict[str, float]]) -> LanguageChoice:
    """The chunk's language. `detect` (Whisper's probabilities per language) runs only when the allowed set
    leaves a choice to make."""
    if not multilingual:
        return LanguageChoice("en", "english-only model")
    if language:
        return LanguageChoice(language_code(language), "explicit")
    allowed = allowed_languages(languages)
    if len(allowed) == 1:
        return LanguageChoice(allowed[0], "only allowed")
    probabilities = detect()
    best = max(allowed, key=lambda code: probabilities.get(code, 0.0))
    return LanguageChoice(best, "detected", round(probabilities.get(best, 0.0), 3))
