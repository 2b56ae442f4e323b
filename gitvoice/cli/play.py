"""`git voice play REV [-o FILE]`: hear (or save) the recording attached to a commit."""

from __future__ import annotations

from pathlib import Path

import click

from gitvoice.cli.show import NO_NOTE_HINT
from gitvoice.core.errors import GitVoiceError
from gitvoice.git.notes import VOICE_AUDIO_NOTES_REF, audio_suffix, read_audio_note, resolve_commit


@click.command()
@click.argument("rev", default="HEAD")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the recording to FILE instead of playing it (.ogg/.flac as stored; .wav converts).")
def play(rev: str, output: Path | None) -> None:
    """Play the recording attached to commit REV (default HEAD), kept in refs/notes/voice-audio."""
    commit = resolve_commit(rev)
    audio = read_audio_note(commit)
    if audio is None:
        raise GitVoiceError(f"commit {commit[:12]} ({rev}) has no audio note in {VOICE_AUDIO_NOTES_REF}",
                            hint=f"`git voice show {rev}` prints the transcript if there is one; {NO_NOTE_HINT}")
    from gitvoice.audio.encode import decode_note_audio, write_note_audio

    if output is not None:
        write_note_audio(audio, output, audio_suffix(audio))
        click.echo(f"wrote {output}", err=True)
        return
    from gitvoice.audio.playback import play_sentences

    samples, rate_hz = decode_note_audio(audio)
    click.echo(f"playing the recording of {commit[:12]} ({samples.size / rate_hz:.1f} s); Ctrl-C stops", err=True)
    # playback.py plays passages that it synthesizes; a recording is one passage that is already audio.
    play_sentences([(0, "recording")], lambda _text: (samples, rate_hz))
