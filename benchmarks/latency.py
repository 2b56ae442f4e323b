"""Live capture: time from the stop to the transcript, for a ~30 s spoken note through a real sound server.

A note is built from the shared human clips, trimmed to their speech, one after another with natural pauses
(0.4-1.6 s: the VAD hears a 1.8 s pause as nearly 2 s, which would trip the 2 s auto-stop), and played with
`paplay` into the null sink of a private PulseAudio server (tests/sound_server.py); gitvoice records the
sink's monitor, the default input, with `record_and_transcribe` exactly as `git voice` records a microphone:
the model loads and finished chunks are transcribed while the note is still being spoken.

The stop is `Recorder.stopped_at`, the instant the recorder decides to stop, on its own clock:

- `silence`: after `--silence-seconds` (default 2 s, as `git voice`) of VAD silence following speech, the
  auto-stop `git voice` uses when nobody presses Enter;
- `max`: when the captured audio reaches `--max-seconds` (default: the note + 0.5 s), standing in for Enter
  pressed about a second after the last word, so the last chunk has little time to be transcribed early.

Stop -> transcript is the time from that instant until `record_and_transcribe` returns. For comparison, the
recording is then transcribed whole, as a file, with a model already loaded and warmed up ("model warm") and
with a model loaded for it ("including model load"), as a non-streaming `git voice` would after the stop.

    python benchmarks/latency.py [--runs 3] [--stop both|silence|max] [--model tiny.en] [--device cpu]
                                 [--speech-dir DIR] [--no-write]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the test suite's PulseAudio server
from common import machine, today, write_section
from sound_server import MissingTools, SoundServer, running_sound_server

ROOT = Path(__file__).resolve().parent.parent

TARGET_S = 0.5  # issue "Live capture": stop -> transcript ready
NOTE_TARGET_S = 30.0
LEAD_S = 0.5  # silence before the first word
PAUSES_S = (0.4, 1.6, 0.9, 1.5, 0.6, 1.2)  # between clips in turn; under ~1.4 s they join a chunk, over it split
TAIL_S = 0.3  # silence after the last word
RECORDER_WAIT_S = 20.0  # for the recorder's first block of audio


def find_speech_dir() -> Path:
    """As tests/support.py: GITVOICE_SPEECH_DIR, else shared/testdata/speech in a folder above the repository."""
    override = os.environ.get("GITVOICE_SPEECH_DIR")
    candidates = [Path(override)] if override else []
    candidates += [parent / "shared" / "testdata" / "speech" for parent in ROOT.parents]
    for candidate in candidates:
        if (candidate / "manifest.jsonl").is_file():
            return candidate
    raise SystemExit("shared speech clips not found: expected ../shared/testdata/speech beside the repository "
                     "(or set GITVOICE_SPEECH_DIR, or pass --speech-dir)")


@dataclass(frozen=True)
class Note:
    path: Path
    duration_s: float
    clips: list[str]
    pauses_s: list[float]
    speech_s: float  # from the first word to the last


def _speech_only_bounds(samples: Any) -> tuple[int, int]:
    """The first and last spoken sample: silero's spans less their padding (none where a span meets an end)."""
    from gitvoice.audio.files import SAMPLE_RATE_HZ
    from gitvoice.audio.vad import SPEECH_PAD_S, speech_spans

    spans = speech_spans(samples)
    if not spans:
        return 0, samples.size
    pad = int(SPEECH_PAD_S * SAMPLE_RATE_HZ)
    start = spans[0].start + pad if spans[0].start > 0 else 0
    end = spans[-1].end - pad if spans[-1].end < samples.size else samples.size
    return start, end


def _speech_only(samples: Any) -> Any:
    """The clip from its first to its last spoken sample, so that the pauses put between clips are the
    silences a listener (and the VAD) hears."""
    start, end = _speech_only_bounds(samples)
    return samples[start:end]


def build_note(speech_dir: Path, target_s: float, path: Path) -> Note:
    """Human clips in manifest order (skipping any that would overshoot), trimmed to their speech, with a
    pause after each but the last; LEAD_S of silence before and TAIL_S after."""
    import numpy as np

    from gitvoice.audio.files import SAMPLE_RATE_HZ, read_audio
    from gitvoice.audio.wavfile import to_pcm16

    def silence(seconds: float) -> Any:
        return np.zeros(int(seconds * SAMPLE_RATE_HZ), dtype=np.float32)

    items = [json.loads(line) for line in (speech_dir / "manifest.jsonl").read_text().splitlines() if line.strip()]
    speech, used = [], []
    total = LEAD_S + TAIL_S
    for item in (i for i in items if i["set"] == "human"):
        samples = _speech_only(read_audio(speech_dir / item["path"]))
        pause = PAUSES_S[(len(used) - 1) % len(PAUSES_S)] if used else 0.0
        if total + pause + samples.size / SAMPLE_RATE_HZ > target_s + 1.0:
            continue
        speech.append((pause, samples))
        total += pause + samples.size / SAMPLE_RATE_HZ
        used.append(item["id"])
        if total >= target_s - 1.0:
            break
    pieces = [silence(LEAD_S)]
    for pause, samples in speech:
        pieces += [silence(pause), samples]
    pieces.append(silence(TAIL_S))
    audio = np.concatenate(pieces)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE_HZ)
        out.writeframes(to_pcm16(audio).tobytes())
    first, last = _speech_only_bounds(audio)
    return Note(path, audio.size / SAMPLE_RATE_HZ, used, [pause for pause, _ in speech[1:]],
                (last - first) / SAMPLE_RATE_HZ)


def longest_silence_s(note: Note) -> float:
    """The longest run of non-speech the live VAD hears between the first and the last word of the note, as
    the recorder scores it (blocks of BLOCK_S): the silence auto-stop must not fire inside the note."""
    from gitvoice.audio.capture import BLOCK_S
    from gitvoice.audio.files import SAMPLE_RATE_HZ, read_audio
    from gitvoice.audio.vad_stream import LiveVad

    samples = read_audio(note.path)
    vad = LiveVad()
    block = int(BLOCK_S * SAMPLE_RATE_HZ)
    quiet = []
    for start in range(0, samples.size - int(TAIL_S * SAMPLE_RATE_HZ), block):
        vad.feed(samples[start : start + block])
        quiet.append(vad.seconds_since_speech() or 0.0)
    return max(quiet)


@contextlib.contextmanager
def sound_server() -> Iterator[SoundServer]:
    """tests/sound_server.py's private PulseAudio (null sink as default sink, its monitor as default input)."""
    try:
        with running_sound_server() as server:
            yield server
    except MissingTools as missing:
        raise SystemExit(str(missing)) from None


class Player(threading.Thread):
    """Plays the note into the sink once the recorder has received its first block of audio, so that the
    recording holds the whole note (the stream may be opened and closed before, to probe its format)."""

    def __init__(self, server: SoundServer, note: Path, capturing: threading.Event) -> None:
        super().__init__(name="bench-player", daemon=True)
        self.server, self.note, self.capturing = server, note, capturing
        self.ended_at: float | None = None
        self.error: str | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._cancel = threading.Event()

    def run(self) -> None:
        deadline = time.monotonic() + RECORDER_WAIT_S
        while not self.capturing.wait(0.05):
            if self._cancel.is_set() or time.monotonic() > deadline:
                self.error = "the recorder never received audio"
                return
        self.process = self.server.play(self.note)
        _, stderr = self.process.communicate()
        self.ended_at = time.perf_counter()
        if self.process.returncode != 0 and not self._cancel.is_set():
            self.error = f"paplay failed: {stderr.decode(errors='replace').strip()}"

    def cancel(self) -> None:
        self._cancel.set()
        for _ in range(2):  # the process may start just after the first look
            if self.process is not None and self.process.poll() is None:
                self.process.kill()
            self.join(timeout=5)


@dataclass
class Decode:
    started: float
    ended: float
    span: tuple[int, int]  # the chunk's bounds in the recording, in samples


@dataclass
class Probe:
    """Timestamps from inside a live run, by wrapping five methods (each only adds perf_counter calls)."""

    stopped_at: float | None = None  # Recorder.stopped_at, as handed to ChunkTranscriber.finish
    finish_called: float | None = None
    close_s: float | None = None  # the first Microphone.close(): stopping the PortAudio stream
    stopped_by: str | None = None
    overflows: int = 0
    capturing: threading.Event = field(default_factory=threading.Event)  # the recorder has had its first block
    final: set[tuple[int, int]] = field(default_factory=set)  # the chunks of the whole recording
    decodes: list[Decode] = field(default_factory=list)  # every transcribe_chunk call
    _undo: list[Callable[[], None]] = field(default_factory=list)

    def install(self) -> None:
        from gitvoice.audio.capture import Microphone, Recorder
        from gitvoice.audio.files import SAMPLE_RATE_HZ
        from gitvoice.pipeline.live import ChunkTranscriber
        from gitvoice.transcription.engine import WhisperEngine

        probe = self
        run, next_block, close = Recorder.run, Recorder._next_block, Microphone.close
        finish, decode = ChunkTranscriber.finish, WhisperEngine.transcribe_chunk

        def timed_run(recorder: Any, *args: Any, **kwargs: Any) -> Any:
            result = run(recorder, *args, **kwargs)
            probe.stopped_by, probe.overflows = result.stopped_by, recorder.microphone.overflows
            return result

        def watched_next_block(recorder: Any, *args: Any, **kwargs: Any) -> Any:
            block = next_block(recorder, *args, **kwargs)
            if block.size:
                probe.capturing.set()
            return block

        def timed_close(microphone: Any) -> None:
            started = time.perf_counter()
            close(microphone)
            if probe.close_s is None:
                probe.close_s = time.perf_counter() - started

        def timed_finish(transcriber: Any, chunks: Any, samples: Any, source_name: str, waited_from: float,
                         *args: Any, **kwargs: Any) -> Any:
            probe.finish_called, probe.stopped_at = time.perf_counter(), waited_from
            probe.final = {(c.start, c.end) for c in chunks}
            return finish(transcriber, chunks, samples, source_name, waited_from, *args, **kwargs)

        def timed_decode(engine: Any, audio: Any, offset_s: float = 0.0, *args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return decode(engine, audio, offset_s, *args, **kwargs)
            finally:
                first = round(offset_s * SAMPLE_RATE_HZ)
                probe.decodes.append(Decode(started, time.perf_counter(), (first, first + len(audio))))

        patches = [(Recorder, "run", run, timed_run), (Recorder, "_next_block", next_block, watched_next_block),
                   (Microphone, "close", close, timed_close),
                   (ChunkTranscriber, "finish", finish, timed_finish),
                   (WhisperEngine, "transcribe_chunk", decode, timed_decode)]
        for owner, name, original, wrapper in patches:
            setattr(owner, name, wrapper)
            self._undo.append(lambda owner=owner, name=name, original=original: setattr(owner, name, original))

    def reset(self) -> None:
        self.stopped_at = self.finish_called = self.close_s = self.stopped_by = None
        self.overflows = 0
        self.capturing.clear()
        self.final = set()
        self.decodes.clear()

    def decoding_between(self, start: float, end: float, *, stale: bool) -> float:
        """Whisper time between `start` and `end` on chunks the transcript uses (or, if `stale`, does not)."""
        return sum(max(0.0, min(d.ended, end) - max(d.started, start)) for d in self.decodes
                   if (d.span not in self.final) == stale)

    def decoded_before(self, moment: float) -> int:
        return len({d.span for d in self.decodes if d.span in self.final and d.ended <= moment})

    def uninstall(self) -> None:
        while self._undo:
            self._undo.pop()()


@dataclass
class Run:
    stop: str
    stopped_by: str
    stop_to_ready_s: float  # = the transcript's transcribe_s (stop -> Transcript built), unrounded
    tail_s: float  # stop -> finish() called: closing the stream, the last blocks, the VAD's final spans
    close_s: float  # of which stopping the PortAudio stream
    decode_after_stop_s: float  # Whisper decoding (either thread) of final chunks between stop and transcript
    stale_after_stop_s: float  # ... and of a speculative chunk that later speech made stale (waited for)
    last_decode_s: float  # the last chunk's decode that the transcript used: how long it took
    last_decode_lead_s: float  # ... and how long before the stop it started (negative: after)
    last_word_s: float  # the end of the last word in the recording -> the stop (recording time)
    chunks: int
    ready_at_stop: int  # final chunks whose decode had ended at the stop (the transcript's own
    # chunks_ready_at_stop also counts the one being decoded at the stop, which it waits for)
    streamed_chunks: int
    whole_warm_s: float
    whole_with_load_s: float
    load_s: float
    same_text: bool
    overflows: int


CODE_AWARE_NOTE = " (a staged change: every chunk is decoded plain and code-aware, then rescored)"


def one_run(stop: str, server: SoundServer, note: Note, workdir: Path, index: int, args: argparse.Namespace,
            warm_engine: Any, probe: Probe) -> Run:
    from gitvoice.audio.capture import CaptureOptions
    from gitvoice.audio.files import SAMPLE_RATE_HZ, read_audio
    from gitvoice.pipeline.live import record_and_transcribe
    from gitvoice.pipeline.vocabulary import CodeVocabulary
    from gitvoice.transcription.engine import load_engine

    if stop == "silence":
        options = CaptureOptions(max_seconds=note.duration_s + 15.0, silence_seconds=args.silence_seconds,
                                 interactive=False)
    else:
        options = CaptureOptions(max_seconds=args.max_seconds or note.duration_s + 0.5, silence_seconds=None,
                                 interactive=False)
    recording = workdir / f"{stop}-{index}.wav"
    probe.reset()
    player = Player(server, note.path, probe.capturing)
    player.start()
    try:
        speech = record_and_transcribe(cwd=None, capture=options, model=args.model, device=args.device,
                                       vocabulary=CodeVocabulary(tuple(args.vocabulary)), language=None,
                                       output=recording)
        ready = time.perf_counter()
    except BaseException:
        player.cancel()
        raise
    player.join(timeout=30)  # with a cap, the stop can come just before paplay has finished
    if player.error:
        raise SystemExit(player.error)
    assert probe.stopped_at is not None and probe.finish_called is not None and probe.stopped_by is not None
    assert player.ended_at is not None
    stopped_at = probe.stopped_at
    transcript = speech.transcript
    if stop == "silence" and stopped_at < player.ended_at:
        raise SystemExit(f"the silence auto-stop fired {player.ended_at - stopped_at:.1f} s before the note's end: "
                         "a pause in the note is too long for --silence-seconds")
    last_chunk = max(probe.final)
    last = next(d for d in reversed(probe.decodes) if d.span == last_chunk)
    first_word, last_word = (sample / SAMPLE_RATE_HZ for sample in _speech_only_bounds(read_audio(recording)))
    if abs(last_word - first_word - note.speech_s) > 0.3:
        raise SystemExit(f"the recording holds {last_word - first_word:.1f} s from the first word to the last, the "
                         f"note {note.speech_s:.1f} s: part of the note was not recorded")

    # The same recording as a file after the stop: a loaded, warmed-up model, then one loaded for it.
    started = time.perf_counter()
    restore = CodeVocabulary(tuple(args.vocabulary)).restore
    warm = warm_engine.transcribe(read_audio(recording), vocabulary=args.vocabulary)
    whole_warm_s = time.perf_counter() - started
    started = time.perf_counter()
    engine = load_engine(args.model, args.device)
    fresh = engine.transcribe(read_audio(recording), vocabulary=args.vocabulary)
    whole_with_load_s = time.perf_counter() - started
    load_s = engine.load_s
    del engine
    gc.collect()

    return Run(
        stop=stop, stopped_by=probe.stopped_by, stop_to_ready_s=ready - stopped_at,
        tail_s=probe.finish_called - stopped_at, close_s=probe.close_s or 0.0,
        decode_after_stop_s=probe.decoding_between(stopped_at, ready, stale=False),
        stale_after_stop_s=probe.decoding_between(stopped_at, ready, stale=True),
        last_word_s=speech.duration_s - last_word, last_decode_s=last.ended - last.started,
        last_decode_lead_s=stopped_at - last.started,
        chunks=int(transcript.extra["chunks"]), ready_at_stop=probe.decoded_before(stopped_at),
        streamed_chunks=int(transcript.extra["chunks_transcribed_while_recording"]),
        whole_warm_s=whole_warm_s, whole_with_load_s=whole_with_load_s, load_s=load_s,
        same_text=transcript.text == restore(warm.text) == restore(fresh.text), overflows=probe.overflows,
    )


def _med_max(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} / {max(values):.2f}"


def report(runs: list[Run], note: Note, args: argparse.Namespace, threads: int, load: str) -> str:
    modes = sorted({r.stop for r in runs}, key=["silence", "max"].index)
    margin_s = (args.max_seconds or note.duration_s + 0.5) - note.duration_s
    stop_words = {"silence": f"silence ({args.silence_seconds:g} s after speech)",
                  "max": f"cap at note + {margin_s:.1f} s (~Enter)"}
    chunks = " or ".join(sorted({str(r.chunks) for r in runs}))
    table = [
        "| stop | stop → transcript (s) | whole file after stop, model warm (s) | including model load (s) | "
        "chunks decoded before the stop / all | streamed = whole file | target ≤ 0.5 s |",
        "|---|---|---|---|---|---|---|",
    ]
    for mode in modes:
        rs = [r for r in runs if r.stop == mode]
        worst = max(r.stop_to_ready_s for r in rs)
        ready = ", ".join(f"{r.ready_at_stop}/{r.chunks}" for r in rs)
        table.append(
            f"| {stop_words[mode]} | {_med_max([r.stop_to_ready_s for r in rs])} | "
            f"{_med_max([r.whole_warm_s for r in rs])} | {_med_max([r.whole_with_load_s for r in rs])} | {ready} | "
            f"{sum(r.same_text for r in rs)}/{len(rs)} | {'met' if worst <= TARGET_S else 'not met'} |")
    details = [
        "| run | stopped by | last word → stop (s) | stop → transcript (s) | decoding final chunks (s) | "
        "decoding a stale chunk (s) | capture/VAD tail (s) | of which closing the stream (s) | last chunk: decode "
        "(s), started before the stop (s) | chunk decodes while recording | whole file warm (s) | model load (s) | "
        "input overflows |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(runs, 1):
        details.append(
            f"| {i} ({r.stop}) | {r.stopped_by} | {r.last_word_s:.2f} | {r.stop_to_ready_s:.3f} | "
            f"{r.decode_after_stop_s:.3f} | {r.stale_after_stop_s:.3f} | {r.tail_s:.3f} | {r.close_s:.3f} | "
            f"{r.last_decode_s:.2f}, {r.last_decode_lead_s:.2f} | {r.streamed_chunks} | {r.whole_warm_s:.2f} | "
            f"{r.load_s:.2f} | {r.overflows} |")
    pauses = ", ".join(f"{p:g}" for p in note.pauses_s)
    return "\n".join([
        f"## Live capture latency: {args.model} on {args.device}, {note.duration_s:.1f} s note"
        f"{', code-aware' if args.vocabulary else ''} ({today()})",
        "",
        f"Machine: {machine()}; torch threads: {threads}; load average before the runs: {load}. "
        f"`python benchmarks/latency.py --stop {args.stop} --runs {args.runs}"
        f"{' --vocabulary ' + ' '.join(args.vocabulary) if args.vocabulary else ''}`"
        f"{CODE_AWARE_NOTE if args.vocabulary else ''}.",
        "",
        f"The note: {len(note.clips)} shared human clips ({', '.join(note.clips)}), trimmed to their speech, with "
        f"pauses of {pauses} s between them, {LEAD_S:g} s of silence before and {TAIL_S:g} s after, "
        f"{note.duration_s:.1f} s in all ({chunks} chunks), played with `paplay` into a PulseAudio null sink whose "
        "monitor gitvoice records (`record_and_transcribe`: the model loads and finished chunks are transcribed "
        "while the note plays). The stop is the recorder's own stop decision; stop → transcript ends when "
        "`record_and_transcribe` returns. The whole-file columns transcribe the same recording after the stop, "
        "read from disk, with a loaded and warmed-up model or loading it first. Median / max of "
        f"{args.runs} runs per stop; target {TARGET_S:g} s (issue \"Live capture\").",
        "",
        *table,
        "",
        "Per run, after the stop: \"decoding\" is Whisper running (in either thread) on chunks of the "
        "transcript, or on a speculative chunk that later speech made stale but that was being decoded at the "
        "stop and is waited for; \"capture/VAD tail\" runs from the stop until the last chunks are known "
        "(closing the stream, the last blocks, the VAD's final spans) and can overlap decoding.",
        "",
        *details,
    ])


def main() -> None:
    from gitvoice.audio.capture import DEFAULT_SILENCE_S

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--runs", type=int, default=3, help="runs per stop (default 3)")
    parser.add_argument("--stop", choices=["both", "silence", "max"], default="both")
    parser.add_argument("--silence-seconds", type=float, default=DEFAULT_SILENCE_S)
    parser.add_argument("--max-seconds", type=float, help="the cap for --stop max (default: the note + 0.5 s)")
    parser.add_argument("--note-seconds", type=float, default=NOTE_TARGET_S)
    parser.add_argument("--speech-dir", type=Path)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--vocabulary", nargs="*", default=[], metavar="WORD",
                        help="identifiers of a staged change: the code-aware path (two decodes per chunk and "
                             "rescoring) instead of the plain one; its own section in docs/benchmarks.md")
    args = parser.parse_args()

    speech_dir = args.speech_dir or find_speech_dir()
    modes = ["silence", "max"] if args.stop == "both" else [args.stop]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="gv-latency-") as tmp, sound_server() as server:
        import torch

        from gitvoice.audio.files import read_audio
        from gitvoice.audio.vad import load_silero_keeping_threads
        from gitvoice.transcription.engine import load_engine

        threads = torch.get_num_threads()
        # Importing silero_vad sets torch to 1 thread for the whole process; the live path guards against it,
        # the whole-file path (vad.speech_spans) does not. Import it guarded now, so both run on every core.
        load_silero_keeping_threads()
        workdir = Path(tmp)
        note = build_note(speech_dir, args.note_seconds, workdir / "note.wav")
        quiet_s = longest_silence_s(note)
        print(f"note: {note.duration_s:.1f} s from {', '.join(note.clips)}; longest silence inside it as the VAD "
              f"hears it: {quiet_s:.2f} s", file=sys.stderr)
        if "silence" in modes and quiet_s >= args.silence_seconds - 0.1:
            raise SystemExit(f"a pause in the note ({quiet_s:.2f} s) would trip the {args.silence_seconds:g} s "
                             "silence auto-stop: shorten PAUSES_S or raise --silence-seconds")
        if os.getloadavg()[0] > 0.5:
            print(f"warning: load average {os.getloadavg()[0]:.2f}: other work is running, the times will be "
                  "inflated", file=sys.stderr)
        warm_engine = load_engine(args.model, args.device)
        # warm-up; also converts and caches the model the first time
        warm_engine.transcribe(read_audio(note.path), vocabulary=args.vocabulary)
        probe = Probe()
        probe.install()
        runs: list[Run] = []
        try:
            for index in range(args.runs):
                for mode in modes:
                    run = one_run(mode, server, note, workdir, index, args, warm_engine, probe)
                    if torch.get_num_threads() != threads:
                        raise SystemExit(f"torch threads changed from {threads} to {torch.get_num_threads()}")
                    print(f"run {index + 1} {mode}: stop -> transcript {run.stop_to_ready_s:.3f} s "
                          f"(decoding {run.decode_after_stop_s:.3f} s + stale {run.stale_after_stop_s:.3f} s, tail "
                          f"{run.tail_s:.3f} s; last chunk decoded in {run.last_decode_s:.2f} s from "
                          f"{run.last_decode_lead_s:.2f} s before the stop), chunks {run.ready_at_stop}/{run.chunks} "
                          f"ready, whole file warm {run.whole_warm_s:.2f} s, with load {run.whole_with_load_s:.2f} s, "
                          f"same text: {run.same_text}", file=sys.stderr)
                    runs.append(run)
        finally:
            probe.uninstall()
    body = report(runs, note, args, threads, load)
    print(body)
    if not args.no_write:
        write_section(f"latency-{args.device}{'-codeaware' if args.vocabulary else ''}", body)


if __name__ == "__main__":
    main()
