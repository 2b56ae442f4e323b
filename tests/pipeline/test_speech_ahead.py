"""A recording given as a file: where its speech is (silero) is found in a thread while the model loads, and the
transcript is the one found after loading; with a server, nothing is looked for here."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from gitvoice.audio.files import read_audio
from gitvoice.audio.vad import speech_chunks
from gitvoice.pipeline import speech
from gitvoice.pipeline.engines import ServedEngine
from gitvoice.transcription.engine import WhisperEngine

pytestmark = pytest.mark.slow


def _threads_that_looked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []

    def looked(samples: Any) -> Any:
        names.append(threading.current_thread().name)
        return speech_chunks(samples)

    monkeypatch.setattr(speech, "speech_chunks", looked)
    return names


def test_the_speech_is_found_beside_the_model_load(jfk: Path, model_cache_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITVOICE_CACHE_DIR", str(model_cache_dir))
    monkeypatch.setenv("GITVOICE_SERVER", "off")
    looked = _threads_that_looked(monkeypatch)
    samples = read_audio(jfk)
    engine, chunks = speech._engine_and_speech(samples, "tiny.en", "cpu", None)
    assert isinstance(engine, WhisperEngine)
    assert chunks == speech_chunks(samples) and chunks
    assert len(looked) == 1 and looked[0] != threading.main_thread().name
    transcript = engine.transcribe(samples, chunks=chunks)
    assert "ask not what your country can do for you" in transcript.text.lower()


def test_with_a_server_the_speech_is_left_to_it(jfk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITVOICE_SERVER", "http://127.0.0.1:9/v1")
    looked = _threads_that_looked(monkeypatch)
    engine, chunks = speech._engine_and_speech(read_audio(jfk), "tiny.en", "cpu", None)
    assert isinstance(engine, ServedEngine) and chunks is None
    assert looked == []
