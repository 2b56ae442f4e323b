"""Every `voice.*` setting, resolved in one order everywhere: the command's flag, then the environment variable,
then git config (repository, global, system, as git resolves it), then the default. (Repository files, such as a
commitlint configuration, come between git config and the default for the conventions: see conventions.py.)

`git voice config` lists what is in effect and where each value came from.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from gitvoice.core.errors import UsageError
from gitvoice.git.repo import config_get, config_get_all, config_values


@dataclass(frozen=True)
class Setting:
    git_key: str  # git config key, as documented (git matches it case-insensitively)
    env: str | None  # environment variable, None when the setting has none
    default: str  # the value when nothing sets it
    help: str  # one line for `git voice config` and the docs


MODEL = Setting("voice.model", "GITVOICE_MODEL", "tiny.en", "Whisper model: tiny.en, base, a .pt file or a folder")
DEVICE = Setting("voice.device", "GITVOICE_DEVICE", "auto", "where Whisper runs: auto, mps, cuda or cpu")
CPU_WEIGHTS = Setting("voice.cpuWeights", "GITVOICE_CPU_WEIGHTS", "float32",
                      "Whisper's weights on the CPU: float32, or int8 (quantized after loading: faster)")
LANGUAGE = Setting("voice.language", "GITVOICE_LANGUAGE", "", "the spoken language (empty: detect it)")
LANGUAGES = Setting("voice.languages", "GITVOICE_LANGUAGES", "en",
                    "languages a multilingual model may detect (spaces or commas)")
SILENCE_SECONDS = Setting("voice.silenceSeconds", "GITVOICE_SILENCE_SECONDS", "2",
                          "stop recording after this much silence following speech (0: never)")
INPUT_DEVICE = Setting("voice.inputDevice", "GITVOICE_INPUT_DEVICE", "", "microphone name or index")
PROMPT = Setting("voice.prompt", "GITVOICE_PROMPT", "false",
                 "prepare-commit-msg asks on the terminal whether to speak the message")
KEEP_AUDIO = Setting("voice.keepAudio", "GITVOICE_KEEP_AUDIO", "true",
                     "keep the compressed recording as a git note (refs/notes/voice-audio)")
MAX_AUDIO_NOTE_BYTES = Setting("voice.maxAudioNoteBytes", None, "2000000",
                               "largest audio note (git's integer syntax: 500k, 2m); 0: no cap")
TYPES = Setting("voice.types", None, "", "allowed commit types (default: the repository's linter, else gitvoice's)")
SCOPES = Setting("voice.scopes", None, "", "allowed scopes (default: any)")
SCOPE_MAP = Setting("voice.scopeMap", None, "", "PATH-PREFIX=SCOPE, repeatable: scopes for folders")
SUBJECT_WIDTH = Setting("voice.subjectWidth", None, "", "the header's maximum length (default: the linter's)")
BACKTICKS = Setting("voice.backticks", None, "true", "identifiers in the body in backticks")
REFERENCE_STYLE = Setting("voice.referenceStyle", None, "github",
                          "issue footers: github (`Fixes #42`) or trailer (`Fixes: #42`)")
CONSISTENCY = Setting("voice.consistency", "GITVOICE_CONSISTENCY", "true",
                      "check what was said against the staged diff before committing (off: don't)")
TTS_ENGINE = Setting("voice.ttsEngine", "GITVOICE_TTS_ENGINE", "auto", "readback voice: auto, espeak-ng, say, "
                     "sapi or piper")
TTS_VOICE = Setting("voice.ttsVoice", "GITVOICE_TTS_VOICE", "", "readback voice name")
TTS_RATE = Setting("voice.ttsRate", "GITVOICE_TTS_RATE", "", "readback speed in words per minute (80 to 500)")
PIPER_VOICE = Setting("voice.piperVoice", "GITVOICE_PIPER_VOICE", "", "a Piper .onnx voice file")
SERVER = Setting("voice.server", "GITVOICE_SERVER", "off",
                 "transcribe on a server: off (here), auto (a local `git voice serve`, started when needed) or a URL")
SERVER_MODEL = Setting("voice.serverModel", "GITVOICE_SERVER_MODEL", "",
                       "the model to ask a server for (default: voice.model)")
SERVER_FALLBACK = Setting("voice.serverFallback", "GITVOICE_SERVER_FALLBACK", "local",
                          "when the server is down, slow or wrong: local (transcribe here) or error")
SERVER_TIMEOUT_SECONDS = Setting("voice.serverTimeoutSeconds", "GITVOICE_SERVER_TIMEOUT_SECONDS", "30",
                                 "how long to wait for a server's answer, plus 4 s per second of audio")
SERVER_IDLE_SECONDS = Setting("voice.serverIdleSeconds", "GITVOICE_SERVER_IDLE_SECONDS", "300",
                              "a service started by voice.server=auto exits after this long unused (0: never)")

ALL: tuple[Setting, ...] = (MODEL, DEVICE, CPU_WEIGHTS, LANGUAGE, LANGUAGES, SILENCE_SECONDS, INPUT_DEVICE, PROMPT,
                            KEEP_AUDIO, MAX_AUDIO_NOTE_BYTES, TYPES, SCOPES, SCOPE_MAP, SUBJECT_WIDTH, BACKTICKS,
                            REFERENCE_STYLE, CONSISTENCY, TTS_ENGINE, TTS_VOICE, TTS_RATE, PIPER_VOICE, SERVER,
                            SERVER_MODEL, SERVER_FALLBACK, SERVER_TIMEOUT_SECONDS, SERVER_IDLE_SECONDS)

_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0", "")


@dataclass(frozen=True)
class Resolved:
    setting: Setting
    value: str
    source: str  # "flag", "env GITVOICE_...", "git config", or "default"


def resolve_with_source(setting: Setting, flag_value: str | None = None, cwd: Path | None = None,
                        git_values: dict[str, list[str]] | None = None) -> Resolved:
    """The value in effect and where it came from. `git_values` (from `voice_config`) saves a git call."""
    if flag_value:
        return Resolved(setting, flag_value, "flag")
    env_value = os.environ.get(setting.env) if setting.env else None
    if env_value:
        return Resolved(setting, env_value, f"env {setting.env}")
    if git_values is not None:
        values = git_values.get(setting.git_key.lower())
        configured = values[-1] if values else None  # the last one wins, as for `git config --get`
    else:
        configured = config_get(setting.git_key, cwd)
    if configured:
        return Resolved(setting, configured, "git config")
    return Resolved(setting, setting.default, "default")


def resolve(setting: Setting, flag_value: str | None = None, cwd: Path | None = None) -> str:
    return resolve_with_source(setting, flag_value, cwd).value


def resolve_all(setting: Setting, cwd: Path | None = None) -> list[str]:
    """Every git config value of a repeatable key (voice.scopeMap), in git's order."""
    return config_get_all(setting.git_key, cwd)


def resolve_bool(setting: Setting, flag_value: bool | None = None, cwd: Path | None = None) -> bool:
    resolved = resolve_with_source(setting, None if flag_value is None else str(flag_value).lower(), cwd)
    value = resolved.value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise UsageError(f"{_where(resolved)}: {resolved.value!r} is not true or false",
                     hint=f"git config {setting.git_key} true (or false)")


_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}  # git's integer suffixes


def resolve_size(setting: Setting, cwd: Path | None = None) -> int:
    """A byte count in git's integer syntax (500k, 2m, 1g)."""
    resolved = resolve_with_source(setting, None, cwd)
    match = _SIZE.match(resolved.value)
    if match is None:
        raise UsageError(f"{_where(resolved)}: {resolved.value!r} is not a number of bytes",
                         hint=f"git config {setting.git_key} 2m (k, m and g multiply by 1024)")
    return int(match[1]) * _UNITS[match[2].lower()]


def resolve_words(setting: Setting, flag_value: str | None = None, cwd: Path | None = None) -> tuple[str, ...]:
    """A list setting: words separated by spaces or commas."""
    return tuple(word for word in re.split(r"[\s,]+", resolve(setting, flag_value, cwd)) if word)


def _where(resolved: Resolved) -> str:
    return resolved.setting.env if resolved.source.startswith("env") and resolved.setting.env \
        else f"git config {resolved.setting.git_key}"


def voice_config(cwd: Path | None = None) -> dict[str, list[str]]:
    """Every voice.* git config key (lowercased) with its values, in one git call."""
    return config_values(r"^voice\.", cwd)


def effective_settings(cwd: Path | None = None) -> list[Resolved]:
    """Every setting with its value in effect and where that came from (no flags: this is the environment)."""
    values = voice_config(cwd)
    return [resolve_with_source(setting, None, cwd, values) for setting in ALL]
