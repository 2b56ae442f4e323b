"""`git voice record`: record speech from the microphone, keep it, and print where it is and what was said."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from gitvoice.audio.capture import CaptureResult, Recorder, RecordingInterrupted
from gitvoice.cli.capture_options import capture_flags, capture_options_from_flags
from gitvoice.cli.options import model_options
from gitvoice.config import settings
from gitvoice.core.errors import UsageError

ORIGIN = "record"


def _hotword_prompt(cwd: Path, multilingual: bool) -> str | None:
    from gitvoice.config.hotwords import read_hotwords_file
    from gitvoice.git.repo import repo_root
    from gitvoice.transcription.prompt import build_prompt

    return build_prompt(read_hotwords_file(repo_root(cwd)), multilingual=multilingual)


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the recording (WAV) to FILE instead of the repository's recordings folder.")
@capture_flags
@click.option("--no-transcribe", is_flag=True, help="Only record; print the recording's path.")
@model_options
def record(output: Path | None, max_seconds: float | None, silence_seconds: float | None,
           input_device: str | None, no_transcribe: bool, model: str | None, device: str | None,
           language: str | None) -> None:
    """Record from the microphone until Enter, silence after speech, --max-seconds or Ctrl-C.

    Prints the recording's path, then (unless --no-transcribe) the transcript, which is ready almost as soon
    as you stop: the model loads and finished sentences are transcribed while you speak. The recording is
    written to disk as it is captured, so nothing is lost; it is listed as pending in `git voice history`.
    """
    cwd = Path.cwd()
    if output is not None:
        if output.suffix.lower() != ".wav":
            raise UsageError(f"{output}: recordings are WAV files", hint="name the file with a .wav suffix")
        if output.exists():
            raise UsageError(f"{output}: already exists", hint="choose a new file name; gitvoice never overwrites")
    options = capture_options_from_flags(max_seconds, silence_seconds, input_device, cwd)
    registered: dict[str, int] = {}

    def register(path: Path, duration_s: float) -> None:
        from gitvoice.store.history import Store

        with Store.open(cwd) as store:
            registered["id"] = store.add_recording(path.resolve(), duration_s, origin=ORIGIN)
        click.echo(str(path))

    if no_transcribe:
        from gitvoice.store.recordings import new_recording_path

        result: CaptureResult = Recorder(output or new_recording_path(cwd), options).run()
        register(result.path, result.duration_s)
        if result.stopped_by == "interrupt":
            _interrupted(result.path)
        return

    from gitvoice.pipeline.speech import obtain_speech

    model_name = settings.resolve(settings.MODEL, model, cwd)
    try:
        speech = obtain_speech(
            None, cwd=cwd, capture=options, model=model_name, device=settings.resolve(settings.DEVICE, device, cwd),
            prompt=lambda: _hotword_prompt(cwd, multilingual=not model_name.endswith(".en")),
            language=settings.resolve(settings.LANGUAGE, language, cwd) or None, origin=ORIGIN,
            on_recorded=register, output=output)
    except RecordingInterrupted as stopped:
        _interrupted(stopped.path)
    from gitvoice.store.history import Store

    with Store.open(cwd) as store:
        store.set_transcript(registered["id"], speech.transcript.text)
    click.echo(speech.transcript.text)


def _interrupted(path: Path) -> NoReturn:
    click.echo(f"gitvoice: recording stopped by Ctrl-C; kept in {path}", err=True)
    sys.exit(130)
