"""Settings resolve in one order everywhere (flag, environment, git config, default) and say where they came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import git

from gitvoice.config import settings
from gitvoice.core.errors import UsageError


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    return tmp_path


def test_flag_beats_environment_beats_git_config_beats_default(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITVOICE_MODEL", raising=False)
    assert settings.resolve_with_source(settings.MODEL, None, repo) == settings.Resolved(settings.MODEL, "tiny.en",
                                                                                          "default")
    git(repo, "config", "voice.model", "base")
    assert settings.resolve_with_source(settings.MODEL, None, repo).source == "git config"
    assert settings.resolve(settings.MODEL, None, repo) == "base"
    monkeypatch.setenv("GITVOICE_MODEL", "/models/small.pt")
    assert settings.resolve_with_source(settings.MODEL, None, repo).source == "env GITVOICE_MODEL"
    assert settings.resolve(settings.MODEL, "tiny.en", repo) == "tiny.en"


def test_audio_note_size_uses_git_integer_syntax_and_rejects_nonsense(repo: Path) -> None:
    assert settings.resolve_size(settings.MAX_AUDIO_NOTE_BYTES, repo) == 2_000_000
    git(repo, "config", "voice.maxAudioNoteBytes", "500k")
    assert settings.resolve_size(settings.MAX_AUDIO_NOTE_BYTES, repo) == 500 * 1024
    git(repo, "config", "voice.maxAudioNoteBytes", "lots")
    with pytest.raises(UsageError, match="maxAudioNoteBytes"):
        settings.resolve_size(settings.MAX_AUDIO_NOTE_BYTES, repo)


def test_booleans_accept_gits_spellings_and_reject_others(repo: Path) -> None:
    assert settings.resolve_bool(settings.KEEP_AUDIO, cwd=repo)
    git(repo, "config", "voice.keepAudio", "off")
    assert not settings.resolve_bool(settings.KEEP_AUDIO, cwd=repo)
    git(repo, "config", "voice.keepAudio", "maybe")
    with pytest.raises(UsageError, match=r"voice\.keepAudio"):
        settings.resolve_bool(settings.KEEP_AUDIO, cwd=repo)


def test_effective_settings_list_every_key_with_its_source(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITVOICE_DEVICE", "cpu")
    git(repo, "config", "voice.subjectWidth", "60")
    listed = {item.setting.git_key: item for item in settings.effective_settings(repo)}
    assert set(listed) == {setting.git_key for setting in settings.ALL}
    assert (listed["voice.device"].value, listed["voice.device"].source) == ("cpu", "env GITVOICE_DEVICE")
    assert (listed["voice.subjectWidth"].value, listed["voice.subjectWidth"].source) == ("60", "git config")
    assert listed["voice.languages"].source == "default"
