"""How to record, from the flags, the environment, git config and the defaults (voice.silenceSeconds,
voice.inputDevice)."""

from __future__ import annotations

from pathlib import Path

from gitvoice.audio.capture import CaptureOptions
from gitvoice.config import settings
from gitvoice.core.errors import UsageError


def parse_seconds(text: str, source: str) -> float | None:
    """Seconds from a flag or config value; 0, 'off' or 'false' mean never (None)."""
    if text.strip().lower() in ("off", "false", "no", "never", ""):
        return None
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"{source}: {text!r} is not a number of seconds",
                         hint="use a number such as 2 or 1.5 (0 turns silence stop off)") from None
    if value < 0 or value != value:
        raise UsageError(f"{source}: {text!r} is not a number of seconds", hint="use 0 or more") from None
    return value or None


def parse_device(text: str | None) -> str | int | None:
    """A device index when `text` is a number, else a name to match; None for the default input."""
    if not text:
        return None
    return int(text) if text.strip().isdigit() else text


def capture_options(max_seconds: float | None = None, silence_seconds: float | None = None,
                    input_device: str | None = None, cwd: Path | None = None,
                    interactive: bool = True) -> CaptureOptions:
    """CaptureOptions from the flags, falling back to the environment, git config and the defaults; the VAD is
    the torch-free one when voice.server sends the speech to a server (pipeline/engines.py)."""
    from gitvoice.pipeline.engines import live_vad_kind

    if silence_seconds is not None:
        silence = parse_seconds(str(silence_seconds), "--silence-seconds")
    else:
        setting = settings.SILENCE_SECONDS
        silence = parse_seconds(settings.resolve(setting, None, cwd), f"{setting.env} / git config {setting.git_key}")
    device = parse_device(settings.resolve(settings.INPUT_DEVICE, input_device, cwd))
    return CaptureOptions(max_seconds=max_seconds, silence_seconds=silence, input_device=device,
                          interactive=interactive, vad=live_vad_kind(cwd))
