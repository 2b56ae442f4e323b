"""`git voice transcribe FILE...`: print what was said in each recording."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gitvoice.cli.options import model_options
from gitvoice.config import settings
from gitvoice.config.hotwords import read_hotwords_file
from gitvoice.git.repo import repo_root

if TYPE_CHECKING:
    from gitvoice.transcription.engine import Transcript


def _progress(name: str):  # type: ignore[no-untyped-def]
    def show(done: int, total: int) -> None:
        if total > 1 and sys.stderr.isatty():
            end = "\n" if done == total else ""
            click.echo(f"\rtranscribing {name}: {done}/{total} chunks", err=True, nl=False)
            click.echo(end, err=True, nl=False)

    return show


def _restored(result: Transcript, words: list[str]) -> Transcript:
    from gitvoice.composition.restore import restore_identifiers

    segments = [replace(s, text=restore_identifiers(s.text, words)) for s in result.segments]
    return replace(result, text=restore_identifiers(result.text, words), segments=segments)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per line and file: text, segments, language, model, device, dtype, "
              "audio_s, load_s, transcribe_s.")
@click.option("--hotword", "hotwords", multiple=True, metavar="WORD",
              help="A word to spell as given (repeatable); lines of .gitvoice/hotwords.txt are added.")
@click.option("--no-context", is_flag=True,
              help="Do not prime Whisper with (or restore) the identifiers of the staged diff.")
@model_options
def transcribe(files: tuple[Path, ...], as_json: bool, hotwords: tuple[str, ...], no_context: bool,
               model: str | None, device: str | None, language: str | None) -> None:
    """Transcribe recordings (WAV, FLAC, OGG, MP3; m4a/webm with ffmpeg) locally and print the text.

    Inside a repository with staged changes, the identifiers of the staged diff are spelled as in the code
    (`fetch_user`, not "fetch user"), as for `git voice commit`; --no-context turns that off.
    """
    from gitvoice.audio.files import read_audio

    recordings = [(path, read_audio(path)) for path in files]  # fail on bad files before loading
    from gitvoice.transcription.engine import load_engine
    from gitvoice.transcription.prompt import build_prompt

    engine = load_engine(settings.resolve(settings.MODEL, model), settings.resolve(settings.DEVICE, device))
    root = repo_root()
    words = list(dict.fromkeys([*hotwords, *read_hotwords_file(root)]))
    if root is not None and not no_context:
        from gitvoice.composition.identifiers import diff_identifiers
        from gitvoice.git.diff import staged_context

        words = list(dict.fromkeys([*words, *diff_identifiers(staged_context())]))
    prompt = build_prompt(words, multilingual=not engine.english_only)
    spoken_language = settings.resolve(settings.LANGUAGE, language) or None
    for path, samples in recordings:
        result = engine.transcribe(samples, prompt=prompt, language=spoken_language,
                                   source_name=str(path), on_progress=_progress(path.name))
        if words:
            result = _restored(result, words)
        if as_json:
            click.echo(json.dumps({"file": str(path), **result.as_json()}, ensure_ascii=False))
        elif len(recordings) > 1:
            click.echo(f"{path}: {result.text}")
        else:
            click.echo(result.text)
