"""The voice note that travels with a commit: the transcript in refs/notes/voice, the compressed recording as a
binary note in refs/notes/voice-audio (a blob, so it is reachable, survives `git gc` and is pushed with
`git push origin 'refs/notes/voice*'`)."""

from __future__ import annotations

from pathlib import Path

from gitvoice.core.errors import GitError
from gitvoice.git.run import git_bytes, git_output, run_git, run_git_attached

VOICE_NOTES_REF = "refs/notes/voice"
VOICE_AUDIO_NOTES_REF = "refs/notes/voice-audio"
VOICE_REFS = (VOICE_NOTES_REF, VOICE_AUDIO_NOTES_REF)

# Magic numbers of the containers encode_for_note() writes, to name a file written from a note.
AUDIO_MAGIC_SUFFIXES = ((b"OggS", ".ogg"), (b"fLaC", ".flac"), (b"RIFF", ".wav"))


def resolve_commit(rev: str, cwd: Path | None = None) -> str:
    """The full sha of the commit `rev` names, or a GitError saying it names none."""
    result = run_git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], cwd)
    if result.returncode != 0 or not result.stdout.strip():
        raise GitError(f"{rev!r} does not name a commit", hint="use a commit id, a branch name or HEAD~N")
    return result.stdout.strip()


def write_voice_note(rev: str, transcript: str, audio: bytes | None, cwd: Path | None = None) -> None:
    """Attach `transcript` (and `audio`, when given) to the commit `rev`, replacing earlier voice notes."""
    commit = resolve_commit(rev, cwd)
    # -F - reads the note from stdin: no temporary file, and git cleans the text as it does for messages.
    git_output(["notes", f"--ref={VOICE_NOTES_REF}", "add", "-f", "-F", "-", commit], cwd, input_text=transcript)
    if audio is None:
        return
    blob = git_output(["hash-object", "-w", "--stdin"], cwd, input_bytes=audio)
    # -C reuses the blob as the note unchanged (binary-safe); -m or -F would treat it as text.
    git_output(["notes", f"--ref={VOICE_AUDIO_NOTES_REF}", "add", "-f", "-C", blob, commit], cwd)


def edit_transcript_note(commit: str, cwd: Path | None = None) -> int:
    """Open the transcript note of `commit` in the user's editor (git resolves which) and keep what is saved;
    the audio note is another ref and stays as it is. git's exit status."""
    return run_git_attached(["notes", f"--ref={VOICE_NOTES_REF}", "edit", commit], cwd)


def read_transcript_note(rev: str, cwd: Path | None = None) -> str | None:
    """The transcript attached to `rev`, or None when it has none (GitError when `rev` names no commit)."""
    commit = resolve_commit(rev, cwd)
    result = run_git(["notes", f"--ref={VOICE_NOTES_REF}", "show", commit], cwd)
    return result.stdout.rstrip("\n") if result.returncode == 0 else None


def audio_note_blob(rev: str, cwd: Path | None = None) -> str | None:
    """The blob id of the audio note on `rev`, or None."""
    commit = resolve_commit(rev, cwd)
    result = run_git(["notes", f"--ref={VOICE_AUDIO_NOTES_REF}", "list", commit], cwd)
    return result.stdout.strip() or None if result.returncode == 0 else None


def read_audio_note(rev: str, cwd: Path | None = None) -> bytes | None:
    """The compressed recording attached to `rev` (Ogg Vorbis or FLAC bytes), or None."""
    blob = audio_note_blob(rev, cwd)
    return git_bytes(["cat-file", "blob", blob], cwd) if blob else None


def audio_suffix(audio: bytes) -> str:
    """The file suffix for audio note bytes, from their magic number (".ogg" when unknown)."""
    for magic, suffix in AUDIO_MAGIC_SUFFIXES:
        if audio.startswith(magic):
            return suffix
    return ".ogg"


def configure_notes_rewrite(cwd: Path | None = None) -> list[str]:
    """Make `git commit --amend` and `git rebase` carry the voice notes to the rewritten commits.

    Adds each voice ref to the repository's `notes.rewriteRef` unless git already resolves it (from any config
    level); `notes.rewrite.amend` and `notes.rewrite.rebase` default to true and are left as the user set them.
    Returns the refs added now, so the caller can tell the user once.
    """
    configured = run_git(["config", "--get-all", "notes.rewriteRef"], cwd).stdout.split()
    added = []
    for ref in VOICE_REFS:
        if ref in configured or _matches_glob(ref, configured):
            continue
        git_output(["config", "--local", "--add", "notes.rewriteRef", ref], cwd)
        added.append(ref)
    return added


def _matches_glob(ref: str, patterns: list[str]) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(ref, pattern) for pattern in patterns if any(c in pattern for c in "*?["))
