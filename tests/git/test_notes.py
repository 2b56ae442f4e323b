"""Voice notes in real repositories: written and read back, carried by `--amend` and `rebase`, pushed and fetched;
and the diff context a voice commit is composed from."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from support import Clip, git

from gitvoice.audio.encode import decode_note_audio, encode_for_note, write_note_audio
from gitvoice.audio.files import SAMPLE_RATE_HZ, read_audio
from gitvoice.core.errors import GitError
from gitvoice.git.notes import (
    audio_suffix,
    configure_notes_rewrite,
    read_audio_note,
    read_transcript_note,
    write_voice_note,
)


@pytest.fixture
def clip_audio(synthetic_clips: list[Clip]) -> bytes:
    data, _suffix = encode_for_note(read_audio(synthetic_clips[0].path))
    return data


def _commit(repo: Path, name: str, text: str, message: str) -> str:
    (repo / name).write_text(text)
    git(repo, "add", name)
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def test_encoding_compresses_and_keeps_the_speech(synthetic_clips: list[Clip], tmp_path: Path) -> None:
    samples = read_audio(synthetic_clips[0].path)
    data, suffix = encode_for_note(samples)
    assert suffix in (".ogg", ".flac") and audio_suffix(data) == suffix
    assert len(data) < samples.size * 2 / 4  # well under a quarter of 16-bit PCM
    decoded, rate_hz = decode_note_audio(data)
    assert abs(decoded.size / rate_hz - samples.size / SAMPLE_RATE_HZ) < 0.1
    wav = tmp_path / "out.wav"
    write_note_audio(data, wav, suffix)  # a .wav name converts
    assert wav.read_bytes()[:4] == b"RIFF"
    native = tmp_path / f"out{suffix}"
    write_note_audio(data, native, suffix)  # the note's own format is written unchanged
    assert native.read_bytes() == data


@pytest.mark.slow
def test_the_compressed_note_still_says_every_word(engine: Any, human_clips: list[Clip]) -> None:
    """What is kept must serve a second transcription: the same words from the note as from the recording."""
    from whisper.normalizers import EnglishTextNormalizer

    normalize = EnglishTextNormalizer()
    for clip in (c for c in human_clips if c.id in ("jfk_inaugural_1961", "librispeech_2412-153948-0000")):
        samples = read_audio(clip.path)
        data, _suffix = encode_for_note(samples)
        assert len(data) < 4_000 * samples.size / SAMPLE_RATE_HZ  # under 32 kbit/s
        decoded, rate_hz = decode_note_audio(data)
        assert rate_hz == SAMPLE_RATE_HZ
        assert normalize(engine.transcribe(decoded).text) == normalize(engine.transcribe(samples).text)


def test_write_and_read_both_notes(repo: Path, clip_audio: bytes) -> None:
    write_voice_note("HEAD", "Rename getUserById to fetch_user.", clip_audio, repo)
    assert read_transcript_note("HEAD", repo) == "Rename getUserById to fetch_user."
    assert read_audio_note("HEAD", repo) == clip_audio  # binary-exact
    assert "Rename getUserById to fetch_user." in git(repo, "log", "-1", "--notes=voice")
    git(repo, "gc", "-q", "--prune=now")  # notes are reachable from their refs: gc keeps them
    assert read_audio_note("HEAD", repo) == clip_audio
    write_voice_note("HEAD", "second take", None, repo)  # -f replaces the transcript
    assert read_transcript_note("HEAD", repo) == "second take"


def test_no_note_and_no_commit(repo: Path) -> None:
    assert read_transcript_note("HEAD", repo) is None
    assert read_audio_note("HEAD", repo) is None
    with pytest.raises(GitError, match="does not name a commit"):
        read_transcript_note("no-such-branch", repo)


def test_rewrite_config_is_added_once_and_respects_a_glob(repo: Path, tmp_path: Path) -> None:
    assert configure_notes_rewrite(repo) == ["refs/notes/voice", "refs/notes/voice-audio"]
    assert configure_notes_rewrite(repo) == []
    assert git(repo, "config", "--get-all", "notes.rewriteRef").split() == ["refs/notes/voice",
                                                                            "refs/notes/voice-audio"]
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", str(other))
    git(other, "config", "notes.rewriteRef", "refs/notes/*")
    assert configure_notes_rewrite(other) == []


def test_notes_follow_amend_and_rebase(repo: Path, clip_audio: bytes) -> None:
    configure_notes_rewrite(repo)
    _commit(repo, "api.py", "def fetch_user(): ...\n", "feat(api): add fetch_user")
    write_voice_note("HEAD", "add fetch user", clip_audio, repo)
    (repo / "api.py").write_text("def fetch_user(user_id): ...\n")
    git(repo, "commit", "-q", "-a", "--amend", "--no-edit")
    assert read_transcript_note("HEAD", repo) == "add fetch user"
    assert read_audio_note("HEAD", repo) == clip_audio

    # A plain rebase onto a new base rewrites the commit; the notes move with it.
    git(repo, "branch", "feature")
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    _commit(repo, "other.txt", "x\n", "chore: new base")
    git(repo, "checkout", "-q", "feature")
    before = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "rebase", "-q", "main")
    after = git(repo, "rev-parse", "HEAD").strip()
    assert before != after
    assert read_transcript_note(after, repo) == "add fetch user"
    assert read_audio_note(after, repo) == clip_audio


def test_notes_follow_an_interactive_rebase_that_rewords(repo: Path, tmp_path: Path) -> None:
    configure_notes_rewrite(repo)
    _commit(repo, "a.py", "a = 1\n", "feat: a")
    write_voice_note("HEAD", "note on a", None, repo)
    _commit(repo, "b.py", "b = 1\n", "feat: b")
    sequence_editor = tmp_path / "sequence-editor"
    sequence_editor.write_text("#!/bin/sh\nsed -i '1s/^pick/reword/' \"$1\"\n")
    sequence_editor.chmod(0o755)
    editor = tmp_path / "editor"
    editor.write_text("#!/bin/sh\nsed -i '1s/.*/feat: a, reworded/' \"$1\"\n")
    editor.chmod(0o755)
    env = {**os.environ, "GIT_SEQUENCE_EDITOR": str(sequence_editor), "GIT_EDITOR": str(editor)}
    subprocess.run(["git", "rebase", "-q", "-i", "HEAD~2"], cwd=repo, env=env, check=True)
    assert git(repo, "log", "-1", "--format=%s", "HEAD~1").strip() == "feat: a, reworded"
    assert read_transcript_note("HEAD~1", repo) == "note on a"


def test_notes_arrive_in_a_clone_after_push(repo: Path, tmp_path: Path, clip_audio: bytes) -> None:
    write_voice_note("HEAD", "pushed along", clip_audio, repo)
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(repo, "remote", "add", "origin", str(bare))
    git(repo, "push", "-q", "origin", "main", "refs/notes/voice*")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    assert read_transcript_note("HEAD", clone) is None  # git clone does not fetch notes by itself
    git(clone, "fetch", "-q", "origin", "refs/notes/voice*:refs/notes/voice*")
    assert read_transcript_note("HEAD", clone) == "pushed along"
    assert read_audio_note("HEAD", clone) == clip_audio
