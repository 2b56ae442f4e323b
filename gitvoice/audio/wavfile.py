"""A WAV file that is complete after every write, so a crash, SIGKILL or power cut leaves a playable recording.

Why not soundfile in write mode: libsndfile writes the RIFF and data chunk sizes only when the file is
closed, so a killed process leaves a header that says "0 bytes of audio" and most players show nothing.
FLAC has the same problem in its STREAMINFO block (total samples unknown), and its encoder buffers whole
blocks. Here the header sizes are rewritten in place after each block of samples (two 4-byte writes), so the
file on disk is always a valid WAV holding everything captured up to the last block; `fsync_every_s` bounds
what a power cut can take.
"""

from __future__ import annotations

import os
import struct
import time
from pathlib import Path
from types import TracebackType

import numpy as np
import numpy.typing as npt

from gitvoice.audio.files import SAMPLE_RATE_HZ, Samples

BYTES_PER_SAMPLE = 2  # 16-bit PCM: what every player reads, half the size of float32
HEADER_BYTES = 44  # RIFF header + fmt chunk + data chunk header (canonical PCM WAV)
RIFF_SIZE_OFFSET = 4  # file size - 8
DATA_SIZE_OFFSET = 40  # bytes of samples


def quantize(samples: Samples) -> Samples:
    """`samples` exactly as they will read back from the 16-bit file (soundfile divides by 32768)."""
    return (to_pcm16(samples).astype(np.float32) / 32768.0).astype(np.float32)


def to_pcm16(samples: Samples) -> npt.NDArray[np.int16]:
    return np.clip(np.round(samples * 32768.0), -32768, 32767).astype("<i2")


def wav_header(rate_hz: int, data_bytes: int, channels: int = 1) -> bytes:
    block_align = channels * BYTES_PER_SAMPLE
    return b"".join([
        b"RIFF", struct.pack("<I", 36 + data_bytes), b"WAVE",
        b"fmt ", struct.pack("<IHHIIHH", 16, 1, channels, rate_hz, rate_hz * block_align, block_align,
                             8 * BYTES_PER_SAMPLE),
        b"data", struct.pack("<I", data_bytes),
    ])


class GrowingWav:
    """Mono 16-bit PCM WAV at `rate_hz`, playable after every `append()`."""

    def __init__(self, path: Path, rate_hz: int = SAMPLE_RATE_HZ, fsync_every_s: float = 2.0) -> None:
        self.path = path
        self.rate_hz = rate_hz
        self.frames = 0
        self._fsync_every_s = fsync_every_s
        self._last_fsync = time.monotonic()
        # O_EXCL: never overwrite another recording that took the same name.
        self._fd: int | None = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(self._fd, wav_header(rate_hz, 0))

    @property
    def duration_s(self) -> float:
        return self.frames / self.rate_hz

    def append(self, samples: Samples) -> None:
        """Write `samples` (float32 in [-1, 1]) and then the header that counts them."""
        if self._fd is None:
            raise ValueError(f"{self.path} is closed")
        if samples.size == 0:
            return
        data = to_pcm16(samples).tobytes()
        os.pwrite(self._fd, data, HEADER_BYTES + self.frames * BYTES_PER_SAMPLE)
        self.frames += samples.size
        self._write_sizes()
        if time.monotonic() - self._last_fsync >= self._fsync_every_s:
            os.fsync(self._fd)
            self._last_fsync = time.monotonic()

    def _write_sizes(self) -> None:
        assert self._fd is not None
        data_bytes = self.frames * BYTES_PER_SAMPLE
        os.pwrite(self._fd, struct.pack("<I", 36 + data_bytes), RIFF_SIZE_OFFSET)
        os.pwrite(self._fd, struct.pack("<I", data_bytes), DATA_SIZE_OFFSET)

    def close(self) -> None:
        if self._fd is None:
            return
        try:
            os.fsync(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> GrowingWav:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
