"""`git voice commit`: say why; the staged diff says what; git commits a Conventional Commit with a voice note."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import click

from gitvoice.audio.capture import CaptureOptions
from gitvoice.cli.capture_options import capture_flags
from gitvoice.cli.options import model_options
from gitvoice.composition.editor_notes import DraftNotes, warning_lines, with_comments
from gitvoice.core import interrupts
from gitvoice.core.errors import GitVoiceError, UsageError
from gitvoice.core.notices import transcription_progress
from gitvoice.git.commit import add_trailers, check_ready_to_commit, run_commit, signoff_footer
from gitvoice.pipeline.message import ComposeFlags, compose_commit_draft
from gitvoice.pipeline.stored import ModelChoice
from gitvoice.pipeline.voice_note import NoteSettings
from gitvoice.store.history import UNFINISHED, RecordingEntry, Store

ORIGIN = "commit"


@dataclass(frozen=True)
class Draft:
    recording_id: int
    recording: Path
    transcript: str
    path: Path  # the draft message file in the store
    text: str
    notes: DraftNotes = field(default_factory=DraftNotes)  # shown under the draft in the editor, else warned


def _check_type(commit_type: str | None) -> None:
    from gitvoice.config.conventions import repository_conventions

    names = [t.name for t in repository_conventions().types]
    if commit_type is not None and commit_type not in names:
        raise UsageError(f"--type {commit_type}: not a commit type of this repository",
                         hint=f"use one of: {', '.join(names)}")


def _check_message_settings() -> None:
    """voice.consistency and voice.referenceStyle: a bad value fails before anyone speaks."""
    from gitvoice.config import settings
    from gitvoice.pipeline.message import reference_style

    settings.resolve_bool(settings.CONSISTENCY)
    reference_style()


def _record_and_draft(store: Store, audio: Path | None, flags: ComposeFlags, hotwords: tuple[str, ...],
                      use_context: bool, all_tracked: bool, amend: bool, choice: ModelChoice,
                      capture: CaptureOptions, note_settings: NoteSettings) -> Draft:
    from gitvoice.pipeline.stored import speak_into_store
    from gitvoice.pipeline.vocabulary import commit_vocabulary
    from gitvoice.pipeline.voice_note import prepare_note_audio

    vocabulary = commit_vocabulary(hotwords=hotwords, use_context=use_context, all_tracked=all_tracked, amend=amend)
    with transcription_progress() as progress:
        spoken = speak_into_store(store, audio, origin=ORIGIN, vocabulary=vocabulary, choice=choice,
                                  capture=capture, retry_hint="`git voice commit --reuse` transcribes it again",
                                  on_progress=progress,
                                  on_stored=lambda recording: prepare_note_audio(recording, note_settings))
    composed = compose_commit_draft(spoken.transcript, vocabulary, flags)
    return Draft(spoken.recording_id, spoken.recording, spoken.transcript,
                 store.save_draft(spoken.recording_id, composed.text), composed.text, composed.notes)


def _entry_to_reuse(store: Store, wanted: str) -> RecordingEntry:
    """`latest`: the newest unfinished voice commit that holds speech; else the history id given."""
    if wanted == "latest":
        entry = store.latest_reusable(ORIGIN)
        if entry is None:
            raise GitVoiceError("nothing to reuse: no aborted or unfinished voice commit with speech in this "
                                "repository",
                                hint="run `git voice commit` to record one; `git voice history` lists recordings")
        return entry
    if not wanted.isdigit():
        raise UsageError(f"--reuse {wanted}: not a recording id", hint="`git voice history` lists the ids")
    found = store.get(int(wanted))
    if found is None or found.status not in UNFINISHED:
        state = "no such recording" if found is None else f"its status is {found.status}"
        raise GitVoiceError(f"--reuse {wanted}: {state}; only aborted or pending recordings can be committed",
                            hint="`git voice history` lists the recordings and their status")
    return found


def _reused_draft(store: Store, wanted: str, flags: ComposeFlags, all_tracked: bool, amend: bool,
                  choice: ModelChoice) -> Draft:
    """An unfinished voice commit's draft (the newest, or recording `wanted`); composed (or transcribed) again
    only where that step never finished."""
    entry = _entry_to_reuse(store, wanted)
    from gitvoice.pipeline.message import draft_notes_for_reuse
    from gitvoice.pipeline.stored import stored_transcript
    from gitvoice.pipeline.vocabulary import commit_vocabulary

    vocabulary = commit_vocabulary(all_tracked=all_tracked, amend=amend)
    with transcription_progress() as progress:
        transcript = stored_transcript(store, entry, vocabulary=vocabulary, choice=choice, on_progress=progress)
    if entry.draft_path is not None and entry.draft_path.is_file():
        text = entry.draft_path.read_text(encoding="utf-8")
        if flags.signoff:
            text = add_trailers(text, [signoff_footer()])
        notes = draft_notes_for_reuse(transcript, vocabulary, text)
    else:
        composed = compose_commit_draft(transcript, vocabulary, flags)
        text, notes = composed.text, composed.notes
    click.echo(f"reusing the draft of recording #{entry.id} from {entry.created_at}", err=True)
    return Draft(entry.id, entry.path, transcript, store.save_draft(entry.id, text), text, notes)


def _warn(notes: DraftNotes, alternatives: bool = False) -> None:
    """The notes on stderr, one `gitvoice: warning: ...` line each (nothing is put into the message)."""
    for line in warning_lines(notes):
        click.echo(f"gitvoice: warning: {line}", err=True)
    for header in notes.alternatives if alternatives else ():
        click.echo(f"gitvoice: other subject: {header}", err=True)


def _editor_file(draft: Draft) -> Path | None:
    """A copy of the draft with the notes as comment lines for git's editor, beside the draft; None when there
    are no notes or git would not strip comment lines (then the notes are warned on stderr instead). The store's
    draft itself never holds comment lines: `--reuse --no-edit` commits it as it is."""
    from gitvoice.core.atomic import write_text_atomically
    from gitvoice.git.messages import editor_comment_prefix

    if not draft.notes:
        return None
    prefix = editor_comment_prefix()
    if prefix is None:
        _warn(draft.notes)
        return None
    path = draft.path.with_name(f"{draft.path.stem}.editor.txt")
    write_text_atomically(path, with_comments(draft.text, draft.notes, prefix))
    return path


def _attach_voice_note(store: Store, draft: Draft, commit: str, note_settings: NoteSettings) -> None:
    """The transcript (and, within the size cap, the compressed recording) as notes on `commit`."""
    from gitvoice.git.notes import configure_notes_rewrite, write_voice_note
    from gitvoice.pipeline.voice_note import note_audio

    added = configure_notes_rewrite()
    if added:
        click.echo(f"gitvoice: configured notes.rewriteRef for {' and '.join(added)} in this repository, so voice "
                   "notes follow `git commit --amend` and `git rebase`; share them with "
                   "`git push origin 'refs/notes/voice*'`", err=True)
    attached = note_audio(draft.recording, note_settings)
    if attached.warning:
        click.echo(f"gitvoice: {attached.warning}", err=True)
    audio, detail = attached.data, attached.detail
    try:
        write_voice_note(commit, draft.transcript, audio)
    except GitVoiceError as error:  # the commit exists; losing its note must not look like a failed commit
        store.mark_committed(draft.recording_id, commit)
        click.echo(f"gitvoice: warning: the commit was made but its voice note was not: {error.message}; the "
                   f"recording stays at {draft.recording}", err=True)
        return
    store.mark_committed(draft.recording_id, commit)
    draft.path.unlink(missing_ok=True)
    if audio is not None:
        draft.recording.unlink(missing_ok=True)  # a copy now lives in refs/notes/voice-audio
    click.echo(f"voice note on {commit[:12]}: {detail} (git voice show {commit[:12]})", err=True)


def _refuse_unseen_garbage(store: Store, draft: Draft) -> None:
    """With --no-edit nobody reads the message before it is committed: a subject that is a number, a word or two,
    or the placeholder stops here, the draft kept for `--reuse` (which opens the editor)."""
    from gitvoice.composition.compose import subject_problem
    from gitvoice.composition.conventional import parse_message

    problem = subject_problem(parse_message(draft.text).subject)
    if problem is None:
        return
    store.mark_status(draft.recording_id, "aborted")
    raise GitVoiceError(f"not committed: {problem}; the transcript was {draft.transcript!r}; the draft is kept "
                        f"at {draft.path}",
                        hint="`git voice commit --reuse` opens it in your editor (or record again)")


@click.command()
@click.option("--audio", type=click.Path(path_type=Path, dir_okay=False),
              help="Use this recording instead of the microphone (it is copied, never moved).")
@click.option("-a", "--all", "all_tracked", is_flag=True, help="Commit all modified tracked files, as git commit -a.")
@click.option("-s", "--signoff", is_flag=True, help="Add a Signed-off-by trailer, as git commit -s.")
@click.option("--amend", is_flag=True, help="Replace the last commit (its voice note is replaced too).")
@click.option("--no-edit", is_flag=True, help="Commit the composed message without opening the editor.")
@click.option("-n", "--no-verify", is_flag=True, help="Skip the pre-commit and commit-msg hooks.")
@click.option("--type", "commit_type", metavar="TYPE", help="The commit type (feat, fix, ...), whatever was said.")
@click.option("--scope", metavar="SCOPE", help="The scope, whatever the changed paths suggest.")
@click.option("--breaking", is_flag=True, help="Mark a breaking change (`!` and a BREAKING CHANGE footer).")
@click.option("--dry-run", is_flag=True, help="Print the message and commit nothing (the draft is kept).")
@click.option("--reuse", is_flag=False, flag_value="latest", default=None, metavar="[ID]",
              help="Commit the draft of the last aborted or unfinished voice commit that holds speech, or of "
              "recording ID (`git voice history`), without recording again.")
@click.option("--hotword", "hotwords", multiple=True, metavar="WORD",
              help="A word to spell as given (repeatable); lines of .gitvoice/hotwords.txt are added.")
@click.option("--no-context", is_flag=True,
              help="Do not prime Whisper with (or restore) identifiers from the diff.")
@capture_flags
@model_options
def commit(audio: Path | None, all_tracked: bool, signoff: bool, amend: bool, no_edit: bool, no_verify: bool,
           commit_type: str | None, scope: str | None, breaking: bool, dry_run: bool, reuse: str | None,
           hotwords: tuple[str, ...], no_context: bool, max_seconds: float | None, silence_seconds: float | None,
           input_device: str | None, model: str | None, device: str | None, language: str | None) -> None:
    """Record why you made a change and commit it as a Conventional Commit with a voice note.

    The staged diff supplies the identifiers Whisper should spell right and the type and scope of the change.
    Your editor opens on the message (as git itself resolves it) unless --no-edit. If the commit fails or the
    message is left empty, the draft and the recording are kept: `git voice commit --reuse` tries again.
    """
    if reuse is not None:
        conflicting = [name for name, given in (("--audio", audio is not None), ("--type", commit_type),
                                                ("--scope", scope), ("--breaking", breaking),
                                                ("--hotword", hotwords), ("--no-context", no_context)) if given]
        if conflicting:
            raise UsageError(f"--reuse takes the saved draft as it is; it cannot be combined with "
                             f"{', '.join(conflicting)}",
                             hint="edit the draft in the editor instead (leave out --no-edit)")
    from gitvoice.pipeline.capture import capture_options

    check_ready_to_commit(all_tracked=all_tracked, amend=amend)  # before anyone speaks
    _check_type(commit_type)
    capture = capture_options(max_seconds, silence_seconds, input_device)
    note_settings = NoteSettings.resolve()  # a bad value fails now, not after the commit exists
    _check_message_settings()
    choice = ModelChoice.resolve(model, device, language)
    flags = ComposeFlags(commit_type, scope, breaking, signoff)
    with Store.open() as store:
        if reuse is not None:
            draft = _reused_draft(store, reuse, flags, all_tracked, amend, choice)
        else:
            draft = _record_and_draft(store, audio, flags, hotwords, not no_context, all_tracked, amend, choice,
                                      capture, note_settings)
        if dry_run:
            click.echo(draft.text, nl=False)
            _warn(draft.notes, alternatives=True)
            click.echo(f"dry run: nothing committed; draft kept at {draft.path}, recording at {draft.recording} "
                       "(`git voice commit --reuse` commits it)", err=True)
            return
        if no_edit:
            _refuse_unseen_garbage(store, draft)
            _warn(draft.notes)
        editor_file = None if no_edit else _editor_file(draft)
        try:
            outcome = run_commit(editor_file or draft.path, edit=not no_edit, all_tracked=all_tracked,
                                 signoff=signoff, amend=amend, no_verify=no_verify)
        finally:
            if editor_file is not None:
                editor_file.unlink(missing_ok=True)
        if outcome.commit is None:
            if outcome.edited_message is not None:
                store.save_draft(draft.recording_id, outcome.edited_message)  # keep the user's edits too
            store.mark_status(draft.recording_id, "aborted")
            why = ("the commit message was left empty, so git made no commit" if outcome.reason == "empty"
                   else "git commit failed (see git's message above)")
            raise GitVoiceError(f"{why}; the draft is kept at {draft.path} and the recording at {draft.recording}",
                                hint="`git voice commit --reuse` commits the draft without recording again")
        with interrupts.deferred() as interrupted:  # the commit exists: its note is finished, not half-written
            _attach_voice_note(store, draft, outcome.commit, note_settings)
            if audio is not None:  # a recording `git voice record` left pending is now this commit's
                for entry in store.unfinished_at(audio):
                    store.mark_committed(entry.id, outcome.commit)
        if interrupted():
            click.echo(f"gitvoice: Ctrl-C came after {outcome.commit[:12]} was committed; its voice note was "
                       "attached first", err=True)
