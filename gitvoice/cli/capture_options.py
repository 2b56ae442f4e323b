"""Flags for every command that records speech when no --audio file is given."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from gitvoice.audio.capture import DEFAULT_SILENCE_S, CaptureOptions
from gitvoice.config import settings
from gitvoice.core.errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])

SILENCE_SECONDS = settings.Setting("GITVOICE_SILENCE_SECONDS", "voice.silenceSeconds", f"{DEFAULT_SILENCE_S:g}")
INPUT_DEVICE = settings.Setting("GITVOICE_INPUT_DEVICE", "voice.inputDevice", "")


def capture_flags(func: F) -> F:
    """--max-seconds, --silence-seconds and --input-device."""
    func = click.option(
        "--input-device", metavar="NAME|INDEX",
        help="Microphone to record from: a name (or part of one) or an index from `git voice devices`. "
        "[env GITVOICE_INPUT_DEVICE, git config voice.inputDevice; default: the system's default input]")(func)
    func = click.option(
        "--silence-seconds", type=float, metavar="S",
        help="Stop by itself after S seconds of silence following speech; 0 turns this off. "
        f"[env GITVOICE_SILENCE_SECONDS, git config voice.silenceSeconds; default {DEFAULT_SILENCE_S:g}]")(func)
    func = click.option(
        "--max-seconds", type=click.FloatRange(min=0, min_open=True), metavar="N",
        help="Stop recording after N seconds at most.")(func)
    return func


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


def capture_options_from_flags(max_seconds: float | None, silence_seconds: float | None,
                               input_device: str | None, cwd: Path | None = None,
                               interactive: bool = True) -> CaptureOptions:
    """CaptureOptions from the flags, falling back to the environment, git config and the defaults."""
    if silence_seconds is not None:
        silence = parse_seconds(str(silence_seconds), "--silence-seconds")
    else:
        configured = settings.resolve(SILENCE_SECONDS, None, cwd)
        silence = parse_seconds(configured, f"{SILENCE_SECONDS.env} / git config {SILENCE_SECONDS.git_key}")
    device = parse_device(settings.resolve(INPUT_DEVICE, input_device, cwd))
    return CaptureOptions(max_seconds=max_seconds, silence_seconds=silence, input_device=device,
                          interactive=interactive)
