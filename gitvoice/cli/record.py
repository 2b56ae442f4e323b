"""`git voice record`: record speech from the microphone, keep it, and print where it is and what was said."""

from __future__ import annotations

from pathlib import Path

import click

from gitvoice.audio.capture import CaptureResult, Recorder, RecordingInterrupted
from gitvoice.cli.capture_options import capture_flags
from gitvoice.cli.options import model_options
from gitvoice.core.errors import UsageError
from gitvoice.core.notices import transcription_progress

ORIGIN = "record"


@click.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the recording (WAV) to FILE instead of the repository's recordings folder.")
@capture_flags
@click.option("--no-transcribe", is_flag=True, help="Only record; print the recording's path.")
@model_options
def record(output: Path | None, max_seconds: float | None, silence_seconds: float | None,
           input_device: str | None, no_transcribe: bool, model: str | None, device: str | None,
           language: str | None) -> int:
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
    from gitvoice.pipeline.capture import capture_options

    options = capture_options(max_seconds, silence_seconds, input_device, cwd)
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
            return _interrupted(result.path)
        return 0

    from gitvoice.pipeline.speech import obtain_speech
    from gitvoice.pipeline.stored import ModelChoice
    from gitvoice.pipeline.vocabulary import staged_vocabulary

    choice = ModelChoice.resolve(model, device, language, cwd)
    try:
        # Only the hotwords: what will be staged when this recording becomes a commit is not known yet (the
        # commit restores the staged diff's spellings in this transcript then).
        with transcription_progress() as progress:
            speech = obtain_speech(
                None, cwd=cwd, capture=options, model=choice.model, device=choice.device,
                vocabulary=lambda: staged_vocabulary(use_context=False, cwd=cwd), language=choice.language,
                languages=choice.languages, on_recorded=register, output=output, on_progress=progress)
    except RecordingInterrupted as stopped:
        return _interrupted(stopped.path)
    from gitvoice.store.history import Store

    with Store.open(cwd) as store:
        store.set_transcript(registered["id"], speech.transcript.text)
    click.echo(speech.transcript.text)
    return 0


def _interrupted(path: Path) -> int:
    click.echo(f"gitvoice: recording stopped by Ctrl-C; kept in {path}", err=True)
    return 130
