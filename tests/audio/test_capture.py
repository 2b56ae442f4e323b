"""Capture through a real sound server: clips played into PulseAudio's null sink, recorded from its monitor."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
import soundfile
from sound_server import SoundServer

from gitvoice.audio.capture import (
    CaptureOptions,
    Recorder,
    check_something_will_stop,
    level_dbfs,
    meter_line,
)
from gitvoice.audio.files import SAMPLE_RATE_HZ, read_audio
from gitvoice.audio.wavfile import GrowingWav, quantize
from gitvoice.core.errors import AudioError, UsageError


def rms(samples: npt.NDArray[np.float32]) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


def test_growing_wav_is_playable_before_it_is_closed(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    first = (rng.random(8000, dtype=np.float32) - 0.5).astype(np.float32)
    second = (rng.random(4000, dtype=np.float32) - 0.5).astype(np.float32)
    wav = GrowingWav(tmp_path / "take.wav")
    wav.append(first)
    read, rate = soundfile.read(tmp_path / "take.wav", dtype="float32")
    assert rate == SAMPLE_RATE_HZ
    assert np.array_equal(read, quantize(first))
    wav.append(second)
    read, _ = soundfile.read(tmp_path / "take.wav", dtype="float32")  # still open: header already counts it
    assert np.array_equal(read, quantize(np.concatenate([first, second])))
    wav.close()


def test_growing_wav_never_overwrites_a_file(tmp_path: Path) -> None:
    (tmp_path / "take.wav").write_bytes(b"keep me")
    with pytest.raises(FileExistsError):
        GrowingWav(tmp_path / "take.wav")
    assert (tmp_path / "take.wav").read_bytes() == b"keep me"


def test_refuses_to_record_when_nothing_could_stop_it() -> None:
    options = CaptureOptions(max_seconds=None, silence_seconds=None)
    with pytest.raises(UsageError, match="not a terminal"):
        check_something_will_stop(options, enter_stops=False)
    check_something_will_stop(options, enter_stops=True)
    check_something_will_stop(CaptureOptions(max_seconds=5, silence_seconds=None), enter_stops=False)


def test_meter_shows_time_level_and_how_to_stop() -> None:
    loud = meter_line(67.0, -3.0, enter_stops=True, silence_s=2.0)
    quiet = meter_line(5.0, -math.inf, enter_stops=False, silence_s=1.5)
    assert "1:07" in loud and "press Enter to stop" in loud and "speak now" in loud
    assert loud.count("█") > quiet.count("█") == 0
    assert "1.5 s of silence" in quiet
    assert level_dbfs(np.full(100, 0.5, dtype=np.float32)) == pytest.approx(-6.02, abs=0.01)


@pytest.mark.audio
def test_records_a_played_clip_and_stops_on_silence(sound_server: SoundServer, human_clips: list[Any],
                                                    tmp_path: Path) -> None:
    clip = next(c for c in human_clips if c.id == "pocketsphinx_goforward")
    recorder = Recorder(tmp_path / "take.wav", CaptureOptions(silence_seconds=1.0, max_seconds=30.0))
    player = sound_server.play(clip.path)
    result = recorder.run()
    assert player.wait(timeout=30) == 0

    assert result.stopped_by == "silence"  # not the 30 s cap
    assert clip.duration_s < result.duration_s < 15.0
    recorded, rate = soundfile.read(result.path, dtype="float32")
    assert rate == SAMPLE_RATE_HZ and recorded.ndim == 1
    assert np.array_equal(recorded, recorder.samples)  # what was transcribed is what was kept
    original = read_audio(clip.path)
    assert rms(recorded) == pytest.approx(rms(original), rel=0.5)  # the clip's level came through
    assert recorder.vad is not None and recorder.vad.final_spans()  # speech was heard


@pytest.mark.audio
def test_max_seconds_caps_the_recording(sound_server: SoundServer, tmp_path: Path) -> None:
    result = Recorder(tmp_path / "take.wav", CaptureOptions(silence_seconds=None, max_seconds=1.5)).run()
    assert result.stopped_by == "max"
    assert result.duration_s == 1.5
    assert soundfile.info(result.path).frames == int(1.5 * SAMPLE_RATE_HZ)


@pytest.mark.audio
def test_unknown_input_device_fails_before_writing(sound_server: SoundServer, tmp_path: Path) -> None:
    options = CaptureOptions(max_seconds=1.0, input_device="no-such-microphone")
    with pytest.raises(AudioError, match="no input device matching 'no-such-microphone'") as raised:
        Recorder(tmp_path / "take.wav", options)
    assert "--audio FILE" in (raised.value.hint or "")
    assert not (tmp_path / "take.wav").exists()


@pytest.mark.audio
def test_devices_include_the_sound_servers_default_input(sound_server: SoundServer) -> None:
    from gitvoice.audio.devices import list_devices

    devices = list_devices()
    default_inputs = [d for d in devices if d.is_default_input]
    assert len(default_inputs) == 1 and default_inputs[0].max_input_channels > 0
    assert any(d.name == "pulse" for d in devices)
