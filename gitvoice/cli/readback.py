"""`git voice readback [REV | RANGE | PATCH-FILE...]`: read commits and patches aloud for eyes-free review."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gitvoice.config import settings
from gitvoice.core.atomic import write_atomically
from gitvoice.core.errors import GitVoiceError, UsageError

if TYPE_CHECKING:
    from gitvoice.audio.playback import PlaybackControl
    from gitvoice.git.commits import CommitRecord
    from gitvoice.readback.engines import SpeechEngine
    from gitvoice.readback.script import Script
    from gitvoice.review.readback_comments import ReadbackCommenter

TTS_RATE = settings.TTS_RATE
PATCH_SUFFIXES = (".patch", ".diff", ".mbox", ".eml")
KEYS_HELP = "space pauses, n skips to the next file, c records a review comment, q quits"


def _records(targets: Sequence[str]) -> list[CommitRecord]:
    """Commits and patches in the order given; an existing file is a patch file, anything else a revision."""
    from gitvoice.git.commits import read_commits
    from gitvoice.git.patch_files import patches_in_folder, read_patch_file

    records: list[CommitRecord] = []
    for target in targets or ("HEAD",):
        path = Path(target)
        if path.is_dir():
            for patch in patches_in_folder(path):
                records.extend(read_patch_file(patch))
        elif path.exists() or path.suffix.lower() in PATCH_SUFFIXES:
            records.extend(read_patch_file(path))
        else:
            records.extend(read_commits(target))
    return records


RATE_RANGE_WPM = (80, 500)


def _rate(flag: int | None) -> int | None:
    configured = settings.resolve(TTS_RATE, str(flag) if flag else None)
    if not configured:
        return None
    source = "--rate" if flag else f"{TTS_RATE.env} / git config {TTS_RATE.git_key}"
    low, high = RATE_RANGE_WPM
    try:
        rate = int(configured)
    except ValueError:
        rate = 0
    if not low <= rate <= high:
        raise UsageError(f"{source}: {configured!r} is not a speech rate from {low} to {high} words per minute",
                         hint=f"git config {TTS_RATE.git_key} 200 (or leave it unset for the engine's own)")
    return rate


@contextmanager
def _keyboard(control: PlaybackControl, on_comment: Callable[[], None] | None = None) -> Iterator[bool]:
    """Keys while playing, when stdin is a terminal: space pauses, n skips a file, c records a review comment
    (`on_comment`, run in this thread while playback is paused), q quits. Yields whether active.

    cbreak mode delivers each key at once without echo and keeps ISIG, so Ctrl-C still interrupts; the terminal's
    settings are restored on every way out.
    """
    if os.name != "posix" or not sys.stdin.isatty():
        yield False
        return
    import select
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    done = threading.Event()

    def read_keys() -> None:
        while not done.is_set():
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            key = os.read(fd, 1).lower()
            if key == b" ":
                click.echo("paused (space resumes)" if control.toggle_pause() else "resumed", err=True)
            elif key == b"n":
                control.skip()
            elif key == b"c" and on_comment is not None:
                playing = not control.paused
                if playing:
                    control.toggle_pause()
                on_comment()
                if playing:
                    control.toggle_pause()
            elif key in (b"q", b"\x1b"):
                control.quit()
                return

    tty.setcbreak(fd)
    reader = threading.Thread(target=read_keys, name="gitvoice-keys", daemon=True)
    try:
        reader.start()
        yield True
    finally:
        done.set()
        reader.join(timeout=0.5)
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _write_wav(path: Path, engine: SpeechEngine, sentences: Sequence[tuple[int, str]]) -> float:
    """Synthesize everything into one WAV at `path` (written beside it, then renamed); returns its length in s."""
    import soundfile

    from gitvoice.audio.playback import Utterance, join_utterances

    utterances = []
    for number, (passage, text) in enumerate(sentences, 1):
        if sys.stderr.isatty():
            click.echo(f"\rsynthesizing {number}/{len(sentences)}", err=True, nl=number == len(sentences))
        samples, rate_hz = engine.synthesize(text)
        utterances.append(Utterance(passage, samples, rate_hz))
    samples, rate_hz = join_utterances(utterances)
    path = path.expanduser()
    if not path.parent.is_dir():
        raise GitVoiceError(f"cannot write {path}: folder {path.parent} does not exist")
    write_atomically(path, lambda handle: soundfile.write(handle, samples, rate_hz, subtype="PCM_16", format="WAV"))
    return samples.size / rate_hz


def _comment_recorder(targets: Sequence[str], records: Sequence[CommitRecord],
                      playing: list[int]) -> Callable[[], None]:
    """The `c` key: a spoken review comment on the passage playing (git voice review keeps and shows them)."""
    commenter: list[ReadbackCommenter] = []

    def record() -> None:
        from gitvoice.review.readback_comments import ReadbackCommenter, describe

        try:
            if not commenter:
                commenter.append(ReadbackCommenter(targets, records))
            click.echo("review comment: speak now (Enter or a pause stops)", err=True)
            click.echo(describe(commenter[0].record_comment(playing[0])), err=True)
        except GitVoiceError as error:
            click.echo(f"gitvoice: no comment: {error.message}", err=True)

    return record


def _play(script: Script, engine: SpeechEngine, sentences: Sequence[tuple[int, str]],
          on_comment: Callable[[list[int]], Callable[[], None]] | None = None) -> bool:
    from gitvoice.audio.playback import PlaybackControl, play_sentences

    control = PlaybackControl()
    show = sys.stderr.isatty()
    playing = [0]  # the passage now playing, for a comment

    def announce(passage: int) -> None:
        playing[0] = passage
        if show:
            click.echo(f"> {script.passages[passage].title}", err=True)

    with _keyboard(control, on_comment(playing) if on_comment else None) as keys:
        if keys:
            click.echo(f"reading {len(script.passages)} parts aloud; {KEYS_HELP}", err=True)
        result = play_sentences(sentences, engine.synthesize, control=control, on_passage=announce)
    return result.finished


@click.command()
@click.argument("targets", nargs=-1, metavar="[REV | RANGE | PATCH-FILE]...")
@click.option("--summary", "detail", flag_value="summary", default=True,
              help="Subject, author, explanation and what happened to each file (default).")
@click.option("--full", "detail", flag_value="full", help="Also read every added and removed line.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.wav",
              help="Write one WAV file instead of playing.")
@click.option("--text", "as_text", is_flag=True, help="Print the script instead of speaking it.")
@click.option("--rate", type=click.IntRange(*RATE_RANGE_WPM), metavar="WPM",
              help="Speaking rate in words per minute. [git config voice.ttsRate; default 175]")
@click.option("--voice", metavar="V",
              help="The engine's voice: espeak-ng `en-us`, say `Samantha`, a SAPI voice name, or a Piper .onnx "
              "file. [git config voice.ttsVoice; Piper: voice.piperVoice]")
@click.option("--engine", metavar="auto|espeak-ng|say|sapi|piper",
              help="Speech engine. auto: Piper when a Piper voice is configured and piper-tts is installed, else "
              "the system's voice (say on macOS, SAPI on Windows, espeak-ng elsewhere). [git config voice.ttsEngine]")
def readback(targets: tuple[str, ...], detail: str, output: Path | None, as_text: bool, rate: int | None,
             voice: str | None, engine: str | None) -> None:
    """Read commits or patches aloud: what changed, who changed it and why.

    Give a commit (default HEAD), a range (main..topic) or patch files (git format-patch output). Identifiers
    are said as words (getUserById: "get user by id"), symbols by name; lock files, generated files and
    binaries are summarized. While playing in a terminal: space pauses, n skips to the next file, q quits.
    """
    from gitvoice.readback.engines import load_tts_engine
    from gitvoice.readback.script import build_script, speech_units

    records = _records(targets)
    script = build_script(records, full=detail == "full")
    if as_text:
        click.echo(script.text(), nl=False)
        return
    tts = load_tts_engine(settings.resolve(settings.TTS_ENGINE, engine),
                          voice=settings.resolve(settings.TTS_VOICE, voice) or None,
                          piper_voice=settings.resolve(settings.PIPER_VOICE, None) or None,
                          rate_wpm=_rate(rate))
    sentences = speech_units(script)
    if output is not None:
        seconds = _write_wav(output, tts, sentences)
        click.echo(f"wrote {output} ({seconds:.1f} s, {tts.name})", err=True)
        return
    if not _play(script, tts, sentences, lambda playing: _comment_recorder(targets, records, playing)):
        click.echo("stopped", err=True)
