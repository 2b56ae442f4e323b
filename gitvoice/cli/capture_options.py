"""Flags for every command that records speech when no --audio file is given."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from gitvoice.audio.capture import DEFAULT_SILENCE_S

F = TypeVar("F", bound=Callable[..., Any])


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


