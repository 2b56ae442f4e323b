"""The voice note's audio, compressed while Whisper transcribes: the same note as compressing it afterwards."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import soundfile

from gitvoice.core.errors import AudioError
from gitvoice.pipeline import voice_note
from gitvoice.pipeline.voice_note import NoteSettings, note_audio, prepare_note_audio


@pytest.fixture
def recording(tmp_path: Path, speech_dir: Path) -> Path:
    path = tmp_path / "note.wav"
    shutil.copy(speech_dir / "human" / "jfk_inaugural_1961.wav", path)
    return path


def test_a_prepared_note_is_the_note(recording: Path, tmp_path: Path) -> None:
    settings = NoteSettings(keep_audio=True, max_audio_bytes=0)
    prepare_note_audio(recording, settings)
    prepared = note_audio(recording, settings)
    assert voice_note._prepared == {}  # taken, not computed again
    direct = note_audio(recording, settings)
    assert prepared.detail == direct.detail and prepared.data is not None
    (tmp_path / "note.ogg").write_bytes(prepared.data)
    assert abs(soundfile.info(str(tmp_path / "note.ogg")).duration - soundfile.info(str(recording)).duration) < 0.1


def test_a_prepared_note_keeps_the_size_cap_and_its_warning(recording: Path) -> None:
    capped = NoteSettings(keep_audio=True, max_audio_bytes=1_000)
    prepare_note_audio(recording, capped)
    attached = note_audio(recording, capped)
    assert attached.data is None and attached.warning and str(recording) in attached.warning


def test_nothing_is_prepared_when_audio_is_not_kept(recording: Path) -> None:
    settings = NoteSettings(keep_audio=False, max_audio_bytes=0)
    prepare_note_audio(recording, settings)
    assert voice_note._prepared == {}
    assert note_audio(recording, settings).data is None


def test_a_failure_while_preparing_is_raised_where_the_note_is_made(tmp_path: Path) -> None:
    broken = tmp_path / "broken.wav"
    broken.write_text("not audio")
    settings = NoteSettings(keep_audio=True, max_audio_bytes=0)
    prepare_note_audio(broken, settings)
    with pytest.raises(AudioError):
        note_audio(broken, settings)
