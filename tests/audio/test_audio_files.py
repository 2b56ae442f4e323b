"""Reading recordings: formats, downmix, resampling, and clear errors for bad files."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from gitvoice.audio.files import SAMPLE_RATE_HZ, read_audio, resample
from gitvoice.core.errors import AudioError


@pytest.fixture(scope="module")
def jfk(speech_dir: Path) -> np.ndarray:
    samples, rate = soundfile.read(speech_dir / "human" / "jfk_inaugural_1961.wav", dtype="float32")
    assert rate == SAMPLE_RATE_HZ
    return samples


def _similar(a: np.ndarray, b: np.ndarray) -> float:
    n = min(len(a), len(b))
    return float(np.corrcoef(a[:n], b[:n])[0, 1])


@pytest.mark.parametrize(("suffix", "fmt", "subtype"), [
    (".wav", "WAV", "PCM_16"), (".flac", "FLAC", "PCM_16"), (".ogg", "OGG", "VORBIS"),
    (".mp3", "MP3", "MPEG_LAYER_III"),
])
def test_common_formats_read_back_as_the_same_speech(jfk: np.ndarray, tmp_path: Path, suffix: str, fmt: str,
                                                     subtype: str) -> None:
    path = tmp_path / f"clip{suffix}"
    soundfile.write(path, jfk, SAMPLE_RATE_HZ, format=fmt, subtype=subtype)
    samples = read_audio(path)
    assert samples.dtype == np.float32
    assert abs(len(samples) - len(jfk)) < SAMPLE_RATE_HZ * 0.1
    if fmt in ("WAV", "FLAC"):
        assert _similar(samples, jfk) > 0.999
    else:  # lossy codecs shift and smear samples a little; the level must survive
        assert abs(np.sqrt(np.mean(samples**2)) - np.sqrt(np.mean(jfk**2))) < 0.01


def test_stereo_44k_is_downmixed_and_resampled_properly(jfk: np.ndarray, tmp_path: Path) -> None:
    high = resample(jfk, SAMPLE_RATE_HZ, 44_100)
    stereo = np.stack([high, high * 0.5], axis=1)
    path = tmp_path / "stereo.wav"
    soundfile.write(path, stereo, 44_100, subtype="FLOAT")
    samples = read_audio(path)
    assert abs(len(samples) - len(jfk)) <= 2
    assert _similar(samples, jfk * 0.75) > 0.99


def test_resampling_does_not_alias(tmp_path: Path) -> None:
    """A 10 kHz tone at 48 kHz must vanish at 16 kHz (Nyquist 8 kHz); decimation would fold it to 6 kHz."""
    t = np.arange(48_000) / 48_000
    tone = (0.5 * np.sin(2 * np.pi * 10_000 * t)).astype(np.float32)
    out = resample(tone, 48_000, SAMPLE_RATE_HZ)
    assert np.sqrt(np.mean(out[1000:-1000] ** 2)) < 0.01
    naive = tone[::3]
    assert np.sqrt(np.mean(naive**2)) > 0.3  # what a naive decimator would have kept


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is a system package; setup.sh installs it")
def test_m4a_goes_through_ffmpeg(speech_dir: Path, tmp_path: Path, jfk: np.ndarray) -> None:
    m4a = tmp_path / "note.m4a"
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", str(speech_dir / "human" / "jfk_inaugural_1961.wav"),
                    "-c:a", "aac", str(m4a)], check=True)
    samples = read_audio(m4a)
    assert abs(len(samples) - len(jfk)) < SAMPLE_RATE_HZ * 0.2


def test_m4a_without_ffmpeg_names_the_format_and_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    m4a = tmp_path / "note.m4a"
    m4a.write_bytes(b"\0\0\0\x20ftypM4A " + b"\0" * 100)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(AudioError, match=r"\.m4a audio needs ffmpeg") as info:
        read_audio(m4a)
    assert "install ffmpeg" in (info.value.hint or "")


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty file"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt garbage that is not audio", "not a readable audio file"),
    (b"this is a text file, not a recording\n" * 20, "not a readable audio file"),
])
def test_bad_files_name_the_file_and_the_problem(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "note.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError) as info:
        read_audio(path)
    assert str(path) in info.value.message
    assert message in info.value.message
    assert "\n" not in info.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="no such file"):
        read_audio(tmp_path / "nope.wav")


def test_a_directory_is_not_audio(tmp_path: Path) -> None:
    with pytest.raises(AudioError, match="is a directory"):
        read_audio(tmp_path)


def test_a_valid_file_without_samples(tmp_path: Path) -> None:
    path = tmp_path / "zero.wav"
    soundfile.write(path, np.zeros(0, dtype=np.float32), SAMPLE_RATE_HZ)
    with pytest.raises(AudioError, match="contains no audio"):
        read_audio(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.wav"
    soundfile.write(path, np.zeros(1600, dtype=np.float32), SAMPLE_RATE_HZ)
    path.chmod(0)
    with pytest.raises(AudioError, match="cannot read"):
        read_audio(path)
