"""`git voice transcribe FILE...`: print what was said in each recording."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from gitvoice import settings
from gitvoice.cli.options import model_options
from gitvoice.git.repo import repo_root
from gitvoice.hotwords import read_hotwords_file


def _progress(name: str):  # type: ignore[no-untyped-def]
    def show(done: int, total: int) -> None:
        if total > 1 and sys.stderr.isatty():
            end = "\n" if done == total else ""
            click.echo(f"\rtranscribing {name}: {done}/{total} chunks", err=True, nl=False)
            click.echo(end, err=True, nl=False)

    return show


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per line and file: text, segments, language, model, device, dtype, "
              "audio_s, load_s, transcribe_s.")
@click.option("--hotword", "hotwords", multiple=True, metavar="WORD",
              help="A word to spell as given (repeatable); lines of .gitvoice/hotwords.txt are added.")
@model_options
def transcribe(files: tuple[Path, ...], as_json: bool, hotwords: tuple[str, ...],
               model: str | None, device: str | None, language: str | None) -> None:
    """Transcribe recordings (WAV, FLAC, OGG, MP3; m4a/webm with ffmpeg) locally and print the text."""
    from gitvoice.audio.files import read_audio

    recordings = [(path, read_audio(path)) for path in files]  # fail on bad files before loading
    from gitvoice.transcription.engine import load_engine
    from gitvoice.transcription.prompt import build_prompt

    engine = load_engine(settings.resolve(settings.MODEL, model), settings.resolve(settings.DEVICE, device))
    root = repo_root()
    prompt = build_prompt([*hotwords, *read_hotwords_file(root)], multilingual=not engine.english_only)
    spoken_language = settings.resolve(settings.LANGUAGE, language) or None
    for path, samples in recordings:
        result = engine.transcribe(samples, prompt=prompt, language=spoken_language,
                                   source_name=str(path), on_progress=_progress(path.name))
        if as_json:
            click.echo(json.dumps({"file": str(path), **result.as_json()}, ensure_ascii=False))
        elif len(recordings) > 1:
            click.echo(f"{path}: {result.text}")
        else:
            click.echo(result.text)
