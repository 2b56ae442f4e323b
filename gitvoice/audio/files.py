"""Read any recording as 16 kHz mono float32; soundfile first, ffmpeg for other containers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import numpy.typing as npt

from gitvoice.core.errors import AudioError

SAMPLE_RATE_HZ = 16_000  # what Whisper and silero-vad expect
Samples = npt.NDArray[np.float32]

# Containers libsndfile cannot read; ffmpeg decodes them when it is installed.
FFMPEG_ONLY_SUFFIXES = (".m4a", ".mp4", ".aac", ".webm", ".opus", ".wma", ".amr", ".3gp", ".mkv", ".mov")


def to_mono(frames: npt.NDArray[np.floating]) -> Samples:
    """Average the channels of a (frames, channels) array; pass mono through."""
    if frames.ndim == 2:
        frames = frames.mean(axis=1)
    return np.ascontiguousarray(frames, dtype=np.float32)


def resample(samples: Samples, rate_hz: int, target_hz: int = SAMPLE_RATE_HZ) -> Samples:
    """Band-limited resampling with libsoxr (the same engine as sox's `rate`), not decimation."""
    if rate_hz == target_hz or samples.size == 0:
        return samples
    import soxr

    return np.asarray(soxr.resample(samples, rate_hz, target_hz, quality="HQ"), dtype=np.float32)


def _read_with_soundfile(path: Path) -> tuple[Samples, int]:
    import soundfile

    frames, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    return to_mono(frames), int(rate)


def _read_with_ffmpeg(path: Path, ffmpeg: str) -> Samples:
    command = [ffmpeg, "-nostdin", "-v", "error", "-i", str(path),
               "-f", "f32le", "-ac", "1", "-ar", str(SAMPLE_RATE_HZ), "-"]
    result = subprocess.run(command, capture_output=True, check=False)
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip().splitlines()
        raise AudioError(f"{path}: not a readable audio file ({reason[-1] if reason else 'ffmpeg failed'})",
                         hint="check that the file is a complete recording")
    return np.frombuffer(result.stdout, dtype="<f4").astype(np.float32)


def read_audio(path: Path) -> Samples:
    """The recording at `path` as mono float32 at SAMPLE_RATE_HZ, or an AudioError naming the problem."""
    if not path.exists():
        raise AudioError(f"{path}: no such file", hint="check the path, or record with `git voice record`")
    if path.is_dir():
        raise AudioError(f"{path}: is a directory, not an audio file")
    try:
        if path.stat().st_size == 0:
            raise AudioError(f"{path}: empty file (0 bytes)", hint="record again; the capture may have failed")
        path.open("rb").close()
    except PermissionError as exc:
        raise AudioError(f"{path}: cannot read the file ({exc.strerror})") from exc

    samples: Samples
    if path.suffix.lower() in FFMPEG_ONLY_SUFFIXES:
        samples = _read_other_container(path)
    else:
        try:
            samples, rate = _read_with_soundfile(path)
        except (RuntimeError, OSError) as exc:  # soundfile.LibsndfileError subclasses RuntimeError
            if shutil.which("ffmpeg") is None:
                raise AudioError(
                    f"{path}: not a readable audio file ({_first_line(exc)})",
                    hint="use WAV, FLAC, OGG or MP3, or install ffmpeg for other formats",
                ) from exc
            samples = _read_other_container(path)
        else:
            samples = resample(samples, rate)
    if samples.size == 0:
        raise AudioError(f"{path}: contains no audio (0 samples)", hint="record again")
    if not np.all(np.isfinite(samples)):
        raise AudioError(f"{path}: contains invalid samples (NaN or infinity)")
    return samples


def _read_other_container(path: Path) -> Samples:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise AudioError(
            f"{path}: {path.suffix or 'this'} audio needs ffmpeg, which is not installed",
            hint="install ffmpeg (apt install ffmpeg, brew install ffmpeg) or convert the file to WAV or FLAC",
        )
    return _read_with_ffmpeg(path, ffmpeg)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[-1] if text else exc.__class__.__name__


def duration_s(samples: Samples, rate_hz: int = SAMPLE_RATE_HZ) -> float:
    return float(samples.size) / rate_hz
