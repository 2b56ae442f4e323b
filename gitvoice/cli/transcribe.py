"""`git voice transcribe FILE...`: print what was said in each recording."""

from __future__ import annotations

import json
from pathlib import Path

import click

from gitvoice.cli.options import model_options
from gitvoice.core.notices import transcription_progress


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
    from gitvoice.pipeline.engines import speech_engine
    from gitvoice.pipeline.stored import ModelChoice
    from gitvoice.pipeline.transcript import restored
    from gitvoice.pipeline.vocabulary import staged_vocabulary

    choice = ModelChoice.resolve(model, device, language)
    engine = speech_engine(choice.model, choice.device)  # here, or on the server voice.server names
    vocabulary = staged_vocabulary(hotwords=hotwords, use_context=not no_context)
    for path, samples in recordings:
        # On a terminal, `transcribing: chunk 3/7, 12 s` on stderr until the file is done; nothing elsewhere.
        with transcription_progress(path.name if len(recordings) > 1 else None) as progress:
            decoded = engine.transcribe(samples, vocabulary=vocabulary.words, language=choice.language,
                                        languages=choice.languages, source_name=str(path), on_progress=progress)
        result = restored(decoded, vocabulary)
        if as_json:
            click.echo(json.dumps({"file": str(path), **result.as_json()}, ensure_ascii=False))
        elif len(recordings) > 1:
            click.echo(f"{path}: {result.text}")
        else:
            click.echo(result.text)
