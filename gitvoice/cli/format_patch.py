"""`git voice format-patch`: `git format-patch`, with a cover letter filled from speech and spoken notes per patch."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from gitvoice.cli.options import model_options
from gitvoice.composition.changes import EMPTY_CONTEXT
from gitvoice.composition.cover_letter import (
    CoverLetter,
    compose_cover_letter,
    fill_cover_letter,
    has_placeholders,
    is_reroll,
    template_context,
)
from gitvoice.config.templates import LoadedTemplate, cover_letter_template
from gitvoice.core.errors import GitVoiceError, NoSpeechError, UsageError
from gitvoice.core.notices import transcription_progress
from gitvoice.git.patches import (
    FormatPatchArgs,
    PatchMessage,
    PatchSeries,
    mark_spoken_notes,
    parse_format_patch_args,
    run_format_patch,
    series_context,
    voice_notes_exist,
    write_message,
)
from gitvoice.pipeline.vocabulary import CodeVocabulary
from gitvoice.store.history import Store

ORIGIN = "format-patch"


@dataclass(frozen=True)
class LetterWords:
    transcript: str  # what was said about the series (identifiers restored)
    changes_transcript: str | None  # a separate recording (or text) about the changes, for a re-roll
    recording_ids: tuple[int, ...]  # store entries to finish; none when the words were typed
    recordings: tuple[Path, ...]


def _emit(series: PatchSeries) -> None:
    """Print what git would have printed: the stream with --stdout, else the files' names (unless -q)."""
    if series.to_stdout:
        sys.stdout.flush()  # byte for byte: a patch may hold bytes that are not UTF-8
        sys.stdout.buffer.write(series.stream().encode("utf-8", "surrogateescape"))
        sys.stdout.buffer.flush()
    elif not series.quiet:
        for message in series.messages:
            click.echo(str(message.path))


def _warn(text: str) -> None:
    click.echo(f"gitvoice: warning: {text}", err=True)


def _where(series: PatchSeries, letter: PatchMessage) -> str:
    return f"in {letter.path}" if letter.path is not None else "in the stream printed on stdout"


def _check_template(template: LoadedTemplate) -> None:
    """Render the template once with sample values, so a broken or hostile one fails before anyone speaks."""
    sample = "Teach the parser to read TOML. Since v1, the tests cover empty files."
    letter = compose_cover_letter(sample, version="2", identifiers=("parse_config",))
    template.render(template_context(letter, transcript=sample, changes_transcript="Also fix a typo.",
                                     patches=[{"subject": "Read TOML", "note": "Spoken."},
                                              {"subject": "Test it", "note": ""}]))


def _run(parsed: FormatPatchArgs, cover_letter: bool | None) -> PatchSeries:
    series, stderr = run_format_patch(parsed, cover_letter=cover_letter, include_notes=voice_notes_exist())
    if stderr:
        click.echo(stderr, err=True, nl=False)
    return series


@click.command(context_settings={"ignore_unknown_options": True})
@click.option("--audio", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="The cover letter's speech from this recording instead of the microphone.")
@click.option("--changes-audio", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="For a re-roll (-v 2 and later): a second recording saying what changed since the last version.")
@click.option("--text", metavar="TEXT", help="Compose the cover letter from this text instead of speech.")
@click.option("--changes-text", metavar="TEXT", help="What changed since the last version, typed (with -v N).")
@click.option("--cover-letter/--no-cover-letter", default=None,
              help="Always / never write a cover letter. Default: one when the series has more than one patch.")
@model_options
@click.argument("git_args", nargs=-1, type=click.UNPROCESSED, metavar="[-- GIT-FORMAT-PATCH-ARGS]...")
def format_patch(audio: Path | None, changes_audio: Path | None, text: str | None, changes_text: str | None,
                 cover_letter: bool | None, model: str | None, device: str | None, language: str | None,
                 git_args: tuple[str, ...]) -> None:
    """Run git format-patch and fill the cover letter from what you say about the series.

    Everything after `--` goes to git format-patch unchanged (a range, -o DIR, -v N, --to, --cc, --stdout, ...).
    Each commit's voice note (refs/notes/voice) goes below its patch's `---` line, marked as spoken, where
    `git am` ignores it. For a re-roll (-v 2 and later) start a sentence with "Changes since version one:" (or
    "Since v1, ...", "In this version ...") to fill a "Changes in v2" section, or give --changes-audio.
    Without speech the letter keeps git's placeholders and the command exits 1. See docs/format-patch.md.
    """
    from gitvoice.git.repo import require_repo_root

    parsed = parse_format_patch_args(git_args)
    if text is not None and audio is not None:
        raise UsageError("--text and --audio both give the cover letter's words; pass one")
    if (changes_audio is not None or changes_text is not None) and not is_reroll(parsed.reroll_count):
        raise UsageError("--changes-audio and --changes-text describe a re-roll; they need -v N (N > 1)",
                         hint="git voice format-patch --changes-audio FILE -- -v 2 ...")
    root = require_repo_root()
    template = cover_letter_template(root)  # a broken template fails here, before git runs or anyone speaks
    _check_template(template)
    wanted = cover_letter if cover_letter is not None else parsed.cover_letter
    series = _run(parsed, wanted)
    if wanted is None and series.cover_letter is None and len(series.patches) > 1:
        series = _run(parsed, True)  # git writes the same patches again, now with a cover letter
    for message in series.patches:
        marked = mark_spoken_notes(message.text)
        if marked != message.text:
            series = series.with_message(message, marked)
            if message.path is not None:
                write_message(PatchMessage(marked, message.path))
    letter = series.cover_letter
    spoken_input = audio is not None or changes_audio is not None or text is not None
    if letter is None:
        if spoken_input:
            _warn("no cover letter was written (a single patch), so the speech was not used; pass --cover-letter")
        _emit(series)
        return
    if not has_placeholders(letter.text):
        _warn("the cover letter has no placeholders to fill (git took it from the branch description); "
              "it is left as git wrote it")
        _emit(series)
        return
    _fill(series, letter, root, template, audio, changes_audio, text, changes_text, parsed.reroll_count,
          model, device, language)


def _words(store: Store, audio: Path | None, changes_audio: Path | None, text: str | None,
           changes_text: str | None, vocabulary: CodeVocabulary, model: str | None, device: str | None,
           language: str | None) -> LetterWords:
    """What the author said (or typed) about the series and, separately given, about the changes."""
    from gitvoice.pipeline.stored import ModelChoice, speak_into_store

    ids: list[int] = []
    recordings: list[Path] = []
    if text is not None:
        transcript = text
    else:
        with transcription_progress() as progress:
            spoken = speak_into_store(store, audio, origin=ORIGIN, vocabulary=vocabulary,
                                      choice=ModelChoice.resolve(model, device, language), on_progress=progress)
        transcript = spoken.transcript
        ids.append(spoken.recording_id)
        recordings.append(spoken.recording)
    changes = changes_text
    if changes_audio is not None:
        with transcription_progress() as progress:
            spoken = speak_into_store(store, changes_audio, origin=ORIGIN, vocabulary=vocabulary,
                                      choice=ModelChoice.resolve(model, device, language), on_progress=progress)
        changes = spoken.transcript
        ids.append(spoken.recording_id)
        recordings.append(spoken.recording)
    return LetterWords(transcript, changes, tuple(ids), tuple(recordings))


def _draft_text(parts: CoverLetter) -> str:
    changes = f"\n\nChanges in v{parts.version}:\n{parts.changes}" if parts.changes else ""
    return f"{parts.subject}\n\n{parts.body}{changes}\n"


def _fill(series: PatchSeries, letter: PatchMessage, root: Path, template: LoadedTemplate, audio: Path | None,
          changes_audio: Path | None, text: str | None, changes_text: str | None, reroll: str | None,
          model: str | None, device: str | None, language: str | None) -> None:
    from gitvoice.config.conventions import repository_conventions
    from gitvoice.git.notes import read_transcript_note
    from gitvoice.pipeline.vocabulary import code_vocabulary

    vocabulary = code_vocabulary(series_context(series) or EMPTY_CONTEXT, root=root)
    patches = [{"subject": m.subject, "note": (read_transcript_note(m.commit) or "") if m.commit else ""}
               for m in series.patches]
    with Store.open() as store:
        try:
            words = _words(store, audio, changes_audio, text, changes_text, vocabulary, model, device, language)
        except GitVoiceError as error:  # no speech, an unreadable file, a model that does not load, ...
            _emit(series)
            hint = ("edit the letter by hand, or run again with --audio FILE or --text TEXT"
                    if isinstance(error, NoSpeechError) else error.hint)
            raise type(error)(f"{error.message}; {_placeholders_kept(series, letter)}", hint=hint,
                              exit_code=error.exit_code) from error
        except KeyboardInterrupt:
            _emit(series)
            _warn(_placeholders_kept(series, letter))
            raise
        # Typed text (--text) gets the code's spellings too; spoken words already have them.
        transcript = vocabulary.restore(words.transcript)
        changes_transcript = vocabulary.restore(words.changes_transcript) if words.changes_transcript else None
        parts = compose_cover_letter(transcript, changes_transcript=changes_transcript, version=reroll,
                                     identifiers=vocabulary.words, backticks=repository_conventions().backticks)
        if not parts.subject:
            _emit(series)
            raise GitVoiceError(f"nothing to say in the subject; {_placeholders_kept(series, letter)}",
                                hint="say what the series does first, then what changed")
        draft = store.save_draft(words.recording_ids[0], _draft_text(parts)) if words.recording_ids else None
        try:
            blurb = template.render(template_context(parts, transcript=transcript,
                                                     changes_transcript=changes_transcript, patches=patches))
        except GitVoiceError as error:
            _emit(series)
            kept = f"; the composed text is kept at {draft}" if draft else ""
            raise GitVoiceError(f"{error.message}{kept}; {_placeholders_kept(series, letter)}",
                                hint=error.hint) from error
        filled = fill_cover_letter(letter.text, parts.subject, blurb)
        if words.recording_ids:
            draft = store.save_draft(words.recording_ids[0], filled)  # the whole letter, before it is written
        series = series.with_message(letter, filled)
        if letter.path is not None:
            write_message(PatchMessage(filled, letter.path))
        _emit(series)
        # Only now is the letter safe (in its file, or printed): the history entry is done, the draft can go.
        for recording_id in words.recording_ids:
            if letter.commit is not None:
                store.mark_committed(recording_id, letter.commit)
            else:
                store.mark_status(recording_id, "committed")
        if draft is not None:
            draft.unlink(missing_ok=True)


def _placeholders_kept(series: PatchSeries, letter: PatchMessage) -> str:
    return f"the cover letter keeps git's *** SUBJECT HERE *** and *** BLURB HERE *** {_where(series, letter)}"
