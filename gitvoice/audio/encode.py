"""Compress a recording for a Git note: Ogg Vorbis at 16 kHz (speech at about 26 kbit/s), FLAC when libsndfile
has no Vorbis."""

from __future__ import annotations

import io
from pathlib import Path

from gitvoice.audio.files import SAMPLE_RATE_HZ, Samples
from gitvoice.core.errors import AudioError


def _encode(samples: Samples, format_: str, subtype: str, compression: float | None = None) -> bytes:
    import soundfile

    buffer = io.BytesIO()
    soundfile.write(buffer, samples, SAMPLE_RATE_HZ, format=format_, subtype=subtype, compression_level=compression)
    return buffer.getvalue()


# Vorbis at this compression level writes a 30 s note in 99 kB that tiny.en transcribes word for word as the
# original, in 0.1 s on one core; libsndfile's Opus took 1.4 s for the same size, on the core the decoder needs.
VORBIS_COMPRESSION = 0.9


def vorbis_available() -> bool:
    import soundfile

    return "VORBIS" in soundfile.available_subtypes("OGG")


def encode_for_note(samples: Samples) -> tuple[bytes, str]:
    """`samples` (mono float32 at 16 kHz) compressed: the bytes and the file suffix (".ogg" or ".flac")."""
    if samples.size == 0:
        raise AudioError("cannot encode an empty recording")
    try:
        if vorbis_available():
            return _encode(samples, "OGG", "VORBIS", VORBIS_COMPRESSION), ".ogg"
        return _encode(samples, "FLAC", "PCM_16"), ".flac"
    except (RuntimeError, OSError) as exc:  # soundfile.LibsndfileError subclasses RuntimeError
        raise AudioError(f"cannot compress the recording for its note: {exc}") from exc


def decode_note_audio(data: bytes) -> tuple[Samples, int]:
    """Samples (mono float32) and their rate from audio note bytes."""
    import soundfile

    from gitvoice.audio.files import to_mono

    try:
        frames, rate_hz = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (RuntimeError, OSError) as exc:
        raise AudioError(f"the audio note is not readable audio ({exc})".splitlines()[0]) from exc
    return to_mono(frames), int(rate_hz)


def write_note_audio(data: bytes, path: Path, native_suffix: str) -> None:
    """Write audio note bytes to `path`: unchanged when its suffix is the note's own format (or unknown to
    libsndfile), converted to the format its suffix names otherwise (.wav, .flac)."""
    import soundfile

    suffix = path.suffix.lower()
    formats = {f".{name.lower()}" for name in soundfile.available_formats()}
    if suffix == native_suffix or suffix not in formats:
        path.write_bytes(data)
        return
    samples, rate_hz = decode_note_audio(data)
    try:
        soundfile.write(str(path), samples, rate_hz)
    except (RuntimeError, OSError, TypeError, ValueError) as exc:
        raise AudioError(f"cannot write {path}: {exc}".splitlines()[0],
                         hint=f"use a {native_suffix} or .wav file name") from exc
