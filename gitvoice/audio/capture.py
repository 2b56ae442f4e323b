"""Record from the microphone into a file that stays playable whatever happens (Enter, silence, cap, Ctrl-C).

The PortAudio callback only queues blocks; the calling thread writes them to disk (gitvoice.audio.wavfile,
valid after every block), keeps them in memory for transcription, scores them with silero-vad to stop on
silence, draws the level meter (and under it the words heard so far, when the caller knows them) and watches
for Enter. Ctrl-C in the calling thread ends the loop like any other stop, so the recording is always closed
properly, and the meter is erased whichever way the recording ends.
"""

from __future__ import annotations

import contextlib
import math
import os
import queue
import select
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np

from gitvoice.audio.devices import sounddevice_module
from gitvoice.audio.files import SAMPLE_RATE_HZ, Samples, to_mono
from gitvoice.audio.wavfile import GrowingWav, quantize
from gitvoice.core.errors import AudioError, UsageError
from gitvoice.core.notices import LiveLines
from gitvoice.core.status_lines import fit_start, one_line

if TYPE_CHECKING:
    from gitvoice.audio.vad_stream import LiveVad

DEFAULT_SILENCE_S = 2.0  # stop after this much silence following speech (git config voice.silenceSeconds)
BLOCK_S = 0.1  # PortAudio hands us audio in blocks this long
POLL_S = 0.005  # how often to look for the next block: short against BLOCK_S, long enough to cost nothing
NO_SPEECH_TIMEOUT_S = 15.0  # without Enter or --max-seconds, give up when nobody speaks for this long
METER_INTERVAL_S = 0.1  # redraw the meter this often
METER_WIDTH = 20  # characters of level bar
METER_FLOOR_DB = -60.0  # the level bar's empty end, in dBFS
HEARD_INDENT = "  "  # the words heard sit under the meter's time, after its dot

NO_DEVICE_HINT = ("give a recording with --audio FILE instead; check the sound server with `pactl info` "
                  "and the devices with `git voice devices`")


@dataclass(frozen=True)
class CaptureOptions:
    max_seconds: float | None = None  # stop after this long; None: no cap
    silence_seconds: float | None = DEFAULT_SILENCE_S  # stop after this much silence following speech; None: never
    input_device: str | int | None = None  # a PortAudio device name (substring) or index; None: the default input
    interactive: bool = True  # stderr meter and "press Enter to stop" (only where stderr/stdin are terminals)
    vad: str = "silero"  # the voice activity detector: silero, or energy (no torch: the speech goes to a server)


@dataclass(frozen=True)
class CaptureResult:
    path: Path  # the recording, complete and playable
    duration_s: float  # seconds of audio in it
    stopped_by: str  # "enter", "silence", "max", "interrupt"


class RecordingInterrupted(AudioError):
    """Ctrl-C while recording: the recording is kept (its path is in the message) and the exit code is 130."""

    exit_code = 130

    def __init__(self, path: Path) -> None:
        super().__init__(f"recording stopped by Ctrl-C; kept in {path}",
                         hint=f"transcribe it later with `git voice transcribe {path}`")
        self.path = path


def can_stop_with_enter(options: CaptureOptions, stdin: TextIO | None = None) -> bool:
    stdin = sys.stdin if stdin is None else stdin
    return options.interactive and stdin is not None and stdin.isatty()


def check_something_will_stop(options: CaptureOptions, enter_stops: bool) -> None:
    """Refuse to record when nothing could end the recording (no terminal to press Enter in, no limits)."""
    if not enter_stops and options.max_seconds is None and options.silence_seconds is None:
        raise UsageError(
            "cannot record: standard input is not a terminal, so Enter cannot stop the recording",
            hint="pass --max-seconds N or --silence-seconds S (or set git config voice.silenceSeconds), "
            "or give a recording with --audio FILE")


def level_dbfs(samples: Samples) -> float:
    """RMS level of `samples` in dB relative to full scale (-inf for digital silence)."""
    if samples.size == 0:
        return -math.inf
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return 20.0 * math.log10(rms) if rms > 0 else -math.inf


def meter_line(elapsed_s: float, dbfs: float, enter_stops: bool, silence_s: float | None) -> str:
    """The one status line shown while recording, e.g. `● 0:07 [████······] speak now, press Enter to stop`."""
    fraction = 0.0 if dbfs == -math.inf else min(1.0, max(0.0, 1.0 - dbfs / METER_FLOOR_DB))
    filled = round(fraction * METER_WIDTH)
    bar = "█" * filled + "·" * (METER_WIDTH - filled)
    minutes, seconds = divmod(int(elapsed_s), 60)
    if enter_stops:
        how = "press Enter to stop"
    elif silence_s is not None:
        how = f"stops after {silence_s:g} s of silence"
    else:
        how = "stops at the time limit"
    return f"● {minutes}:{seconds:02d} [{bar}] speak now, {how}"


def heard_line(heard: str, width: int) -> str | None:
    """The line under the meter: the newest words heard that fit in `width` columns (None before any)."""
    words = " ".join(one_line(heard).split())
    if not words:
        return None
    return HEARD_INDENT + fit_start(words, max(width - len(HEARD_INDENT), 1))


def _device_label(device: dict[str, Any]) -> str:
    return f"{device['name']} (#{device['index']})"


class Microphone:
    """An open PortAudio input stream whose callback queues mono blocks at the device's rate."""

    def __init__(self, input_device: str | int | None) -> None:
        sd = sounddevice_module()
        self.device = self._find_device(sd, input_device)
        self.rate_hz, self.channels = self._choose_format(sd, self.device)
        self.blocks: queue.Queue[Samples] = queue.Queue()
        self.overflows = 0
        try:
            self._stream = sd.InputStream(device=self.device["index"], samplerate=self.rate_hz,
                                          channels=self.channels, dtype="float32",
                                          blocksize=int(self.rate_hz * BLOCK_S), callback=self._on_block)
            self._stream.start()
        except sd.PortAudioError as exc:
            raise AudioError(f"no input device could be opened: {_device_label(self.device)}: {exc}",
                             hint=NO_DEVICE_HINT) from exc

    @staticmethod
    def _find_device(sd: Any, wanted: str | int | None) -> dict[str, Any]:
        try:
            device: dict[str, Any] = sd.query_devices(device=wanted, kind="input")
        except ValueError as exc:  # no device (or several) matches the name or index
            several = str(exc).startswith("Multiple")  # a name that matches several devices
            what = f"{wanted!r} matches several input devices" if several else f"matching {wanted!r}"
            raise AudioError(f"no input device {what}", hint=NO_DEVICE_HINT) from exc
        except sd.PortAudioError as exc:  # an index that is not a device, or no default input at all
            inputs = [f"{d['index']}: {d['name']}" for d in sd.query_devices() if d["max_input_channels"] > 0]
            if wanted is not None:
                listed = "; ".join(inputs) if inputs else "none"
                raise AudioError(f"no input device {wanted!r} (the inputs are {listed})",
                                 hint="pick one from `git voice devices` by index or name") from exc
            raise AudioError("no input device found (the sound system reports none)", hint=NO_DEVICE_HINT) from exc
        if device["max_input_channels"] < 1:
            raise AudioError(f"no input device: {_device_label(device)} cannot record", hint=NO_DEVICE_HINT)
        return device

    @staticmethod
    def _choose_format(sd: Any, device: dict[str, Any]) -> tuple[int, int]:
        """16 kHz mono where the device takes it (no resampling), else its own rate and channel count."""
        channels_to_try = [1] if device["max_input_channels"] < 2 else [1, 2]
        for rate in (SAMPLE_RATE_HZ, int(device["default_samplerate"])):
            for channels in channels_to_try:
                try:
                    sd.check_input_settings(device=device["index"], samplerate=rate, channels=channels,
                                            dtype="float32")
                except (sd.PortAudioError, ValueError):
                    continue
                return rate, channels
        raise AudioError(f"no input device: {_device_label(device)} takes neither 16 kHz nor its own rate "
                         f"({device['default_samplerate']:g} Hz) in mono or stereo", hint=NO_DEVICE_HINT)

    def _on_block(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        if status and status.input_overflow:
            self.overflows += 1  # PortAudio dropped input: the machine was too busy
        self.blocks.put(to_mono(indata) if self.channels > 1 else indata[:, 0].copy())

    @property
    def is_running(self) -> bool:
        return bool(self._stream.active)

    def close(self) -> None:
        if self._stream.closed:
            return
        try:
            # abort, not stop: stop waits for the block in flight (~0.1 s, a fifth of the wait the user feels
            # after Enter) only to deliver audio from after the stop, which is not kept anyway.
            self._stream.abort()
        finally:
            self._stream.close()


class _Resampler:
    """Streaming device-rate -> 16 kHz conversion with libsoxr (gitvoice.audio.files.resample, in pieces)."""

    def __init__(self, rate_hz: int) -> None:
        self._stream: Any = None
        if rate_hz != SAMPLE_RATE_HZ:
            import soxr

            self._stream = soxr.ResampleStream(rate_hz, SAMPLE_RATE_HZ, 1, dtype="float32", quality="HQ")

    def convert(self, samples: Samples, last: bool = False) -> Samples:
        if self._stream is None:
            return samples
        return np.asarray(self._stream.resample_chunk(samples, last=last), dtype=np.float32)


class _GrowingBuffer:
    """All samples so far in one array (amortised doubling), so any span can be sliced without copying it all."""

    def __init__(self) -> None:
        self._data = np.zeros(SAMPLE_RATE_HZ * 30, dtype=np.float32)
        self.size = 0

    def append(self, samples: Samples) -> None:
        needed = self.size + samples.size
        if needed > self._data.size:
            grown = np.zeros(max(needed, 2 * self._data.size), dtype=np.float32)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size : needed] = samples
        self.size = needed

    def view(self) -> Samples:
        return self._data[: self.size]


class _VadLoader:
    """Loads the VAD (silero-vad imports torch, which takes a while) in the background, so capture starts at once."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.vad: LiveVad | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, name="gitvoice-vad-load", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        try:
            from gitvoice.audio.vad_stream import LiveVad

            self.vad = LiveVad(self.kind)
        except BaseException as exc:  # handed to the capture thread, which raises it
            self.error = exc

    def ready(self) -> bool:
        return not self._thread.is_alive()


OnAudio = Callable[["Recorder"], None]
Heard = Callable[[], str]  # the words recognised so far; asked at every redraw of the meter, so it must be cheap


class Recorder:
    """One recording: open the microphone first (fails fast), then `run()` until a stop condition."""

    def __init__(self, path: Path, options: CaptureOptions, *, need_vad: bool = False,
                 stdin: TextIO | None = None, stderr: TextIO | None = None) -> None:
        self.path = path
        self.options = options
        self._stdin = sys.stdin if stdin is None else stdin
        self._meter = LiveLines(sys.stderr if stderr is None else stderr)
        self.enter_stops = can_stop_with_enter(options, self._stdin)
        check_something_will_stop(options, self.enter_stops)
        self.show_meter = options.interactive and self._meter.is_terminal
        self.microphone = Microphone(options.input_device)  # raises before anything is written
        self.rate_hz = self.microphone.rate_hz
        self.buffer = _GrowingBuffer()
        self.vad: LiveVad | None = None
        needs_vad = need_vad or options.silence_seconds is not None
        self._vad_loader = _VadLoader(options.vad) if needs_vad else None
        self._vad_fed = 0  # samples of buffer already given to the VAD
        self.stopped_at: float | None = None  # time.perf_counter() when the stop was decided

    @property
    def samples(self) -> Samples:
        """Everything captured so far, at 16 kHz, exactly as it reads back from the file."""
        return self.buffer.view()

    @property
    def duration_s(self) -> float:
        return self.buffer.size / SAMPLE_RATE_HZ

    def run(self, on_audio: OnAudio | None = None, heard: Heard | None = None) -> CaptureResult:
        """Record until Enter, silence after speech, the time limit or Ctrl-C; the file is complete either way.

        On a terminal the meter shows, and under it `heard()`, the words recognised so far (when given)."""
        resampler = _Resampler(self.rate_hz)
        max_samples = None if self.options.max_seconds is None else int(self.options.max_seconds * SAMPLE_RATE_HZ)
        stopped_by: str | None = None
        last_meter = 0.0
        dbfs = -math.inf
        restore_echo = self._stop_echo() if self.show_meter and self.enter_stops else None
        try:
            with GrowingWav(self.path) as wav:
                try:
                    while stopped_by is None:
                        block = self._next_block(resampler)
                        if max_samples is not None and self.buffer.size + block.size >= max_samples:
                            block = block[: max_samples - self.buffer.size]
                            stopped_by = "max"
                        if block.size:
                            wav.append(block)
                            self.buffer.append(block)
                            dbfs = level_dbfs(block)
                        self._feed_vad()
                        if on_audio is not None:
                            on_audio(self)
                        if self.show_meter and time.monotonic() - last_meter >= METER_INTERVAL_S:
                            last_meter = time.monotonic()
                            self._draw_meter(dbfs, heard)
                        stopped_by = stopped_by or self._stop_reason()
                except KeyboardInterrupt:
                    stopped_by = "interrupt"
                self.stopped_at = time.perf_counter()
                try:
                    self.microphone.close()
                    if stopped_by != "max":  # what was captured before the stop belongs to the recording
                        rest = self._drain(resampler)
                        wav.append(rest)
                        self.buffer.append(rest)
                        self._feed_vad()
                except KeyboardInterrupt:  # a second Ctrl-C while finishing: the file is still completed
                    stopped_by = "interrupt"
        finally:
            if self.show_meter:
                self._meter.clear()
            if restore_echo is not None:
                restore_echo()
            self.microphone.close()
        assert stopped_by is not None
        return CaptureResult(path=self.path, duration_s=self.duration_s, stopped_by=stopped_by)

    def _next_block(self, resampler: _Resampler) -> Samples:
        """The next captured block at 16 kHz (empty after BLOCK_S without audio), quantized like the file.

        Polled, not a blocking get with a timeout: Ctrl-C landing inside Condition.wait can leave its lock
        released twice ("release unlocked lock"), a RuntimeError instead of the interrupt."""
        deadline = time.monotonic() + BLOCK_S
        while True:
            try:
                raw = self.microphone.blocks.get_nowait()
                break
            except queue.Empty:
                if time.monotonic() >= deadline:
                    if not self.microphone.is_running:
                        raise AudioError("the input device stopped delivering audio", hint=NO_DEVICE_HINT) from None
                    return np.zeros(0, dtype=np.float32)
                time.sleep(POLL_S)
        return quantize(resampler.convert(raw))

    def _drain(self, resampler: _Resampler) -> Samples:
        pieces = []
        while True:
            try:
                pieces.append(resampler.convert(self.microphone.blocks.get_nowait()))
            except queue.Empty:
                break
        pieces.append(resampler.convert(np.zeros(0, dtype=np.float32), last=True))
        return quantize(np.concatenate(pieces))

    def _feed_vad(self) -> None:
        if self.vad is None and self._vad_loader is not None and self._vad_loader.ready():
            if self._vad_loader.error is not None:
                raise self._vad_loader.error
            self.vad = self._vad_loader.vad
        if self.vad is not None and self._vad_fed < self.buffer.size:
            self.vad.feed(self.samples[self._vad_fed :])
            self._vad_fed = self.buffer.size

    def wait_for_vad(self) -> LiveVad:
        """The VAD with every captured sample fed (waits for it to load after a very short recording)."""
        if self._vad_loader is None:
            raise ValueError("this recording was made without voice activity detection")
        self._vad_loader._thread.join()
        self._feed_vad()
        assert self.vad is not None
        return self.vad

    def _stop_reason(self) -> str | None:
        if self.enter_stops and self._enter_pressed():
            return "enter"
        if self.vad is None:
            return None
        quiet_s = self.vad.seconds_since_speech()
        silence_s = self.options.silence_seconds
        if silence_s is not None and quiet_s is not None and quiet_s >= silence_s:
            return "silence"
        if (quiet_s is None and not self.enter_stops and self.options.max_seconds is None
                and self.vad.scored_samples >= NO_SPEECH_TIMEOUT_S * SAMPLE_RATE_HZ):
            return "silence"  # nobody spoke and nothing else would ever stop it
        return None

    def _enter_pressed(self) -> bool:
        readable, _, _ = select.select([self._stdin], [], [], 0)
        if readable:
            self._stdin.readline()
            return True
        return False

    def _draw_meter(self, dbfs: float, heard: Heard | None) -> None:
        lines = [meter_line(self.duration_s, dbfs, self.enter_stops, self.options.silence_seconds)]
        words = heard_line(heard(), self._meter.width) if heard is not None else None
        self._meter.draw(lines if words is None else [*lines, words])

    def _stop_echo(self) -> Callable[[], None] | None:
        """Stop the terminal echoing what is typed while the meter shows; returns what restores it (None when
        there is nothing to restore). An echoed Enter would move the cursor below the meter, where erasing the
        meter could no longer reach it, and typed letters would land inside it. Line input stays on, so Enter
        still ends a line for `_enter_pressed`, and Ctrl-C still interrupts."""
        if os.name != "posix":
            return None
        import termios

        try:
            fd = self._stdin.fileno()
            saved = termios.tcgetattr(fd)
            quiet = list(saved)
            quiet[3] &= ~(termios.ECHO | termios.ECHONL)  # [3]: the local modes
            termios.tcsetattr(fd, termios.TCSANOW, quiet)
        except (termios.error, OSError, ValueError, AttributeError):  # not a terminal after all
            return None

        def restore() -> None:
            with contextlib.suppress(termios.error, OSError, ValueError):
                termios.tcsetattr(fd, termios.TCSANOW, saved)

        return restore


def record(path: Path, options: CaptureOptions) -> CaptureResult:
    """Record into `path` (a new WAV file) until a stop condition; see Recorder."""
    return Recorder(path, options).run()
