"""Dynamic int8 quantization (fbgemm on x86, qnnpack on ARM) of the loaded Whisper model against float32: load and
transcription time and word error rate on the shared human clips, both engines as `load_engine` builds them
(`voice.cpuWeights`: int8, the default on the CPU since this measurement, or float32). Writes the `quantize`
section of docs/benchmarks.md.

    python benchmarks/quantize.py [--runs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scoring
from common import machine, speech_dir, today, write_section

from gitvoice.audio.files import read_audio


def measure(engine: Any, clips: list[dict[str, Any]], runs: int) -> tuple[float, float, list[str]]:
    """(best total seconds over the clips, word error rate (benchmarks/scoring.py, pooled by words), texts)."""
    audio = [read_audio(speech_dir() / clip["path"]) for clip in clips]
    engine.transcribe(audio[0])  # warm-up
    best = float("inf")
    texts: list[str] = []
    for _ in range(runs):
        started = time.perf_counter()
        texts = [engine.transcribe(samples).text for samples in audio]
        best = min(best, time.perf_counter() - started)
    counts = [scoring.edit_counts(clip["text"], text) for clip, text in zip(clips, texts, strict=True)]
    return best, sum(edits for edits, _ in counts) / sum(words for _, words in counts), texts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    options = parser.parse_args()
    from gitvoice.transcription.engine import load_engine
    from gitvoice.transcription.quantized import quantized_engine
    from gitvoice.transcription.torch_runtime import torch_module

    torch_module()  # imported before the loads are timed, so each load is only the model's

    manifest = (speech_dir() / "manifest.jsonl").read_text().splitlines()
    clips = [item for line in manifest if line.strip() and (item := json.loads(line))["set"] == "human"]
    audio_s = sum(float(clip["duration_s"]) for clip in clips)
    load_before = os.getloadavg()
    results = {}
    for weights in ("float32", "int8"):
        started = time.perf_counter()
        engine = load_engine("tiny.en", "cpu", weights=weights)
        load_s = time.perf_counter() - started
        results[weights] = (load_s, *measure(engine, clips, options.runs))
    import torch

    fp32, int8 = results["float32"], results["int8"]
    changed = [clip["id"] for clip, a, b in zip(clips, fp32[3], int8[3], strict=True) if a != b]
    body = "\n".join([
        f"## Dynamic int8 quantization of tiny.en on the CPU ({today()})",
        "",
        f"Machine: {machine()}; torch {torch.__version__}, threads {torch.get_num_threads()}, quantized engine "
        f"{quantized_engine()}; load average before: {', '.join(f'{x:.2f}' for x in load_before)}, after: "
        f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}. `python benchmarks/quantize.py --runs {options.runs}`: "
        f"the {len(clips)} shared human clips ({audio_s:.1f} s), `WhisperEngine.transcribe` with no vocabulary, "
        "best of the runs after a warm-up; load: `load_engine` from the converted-weight cache, torch already "
        "imported, the quantization included. int8: `torch.ao.quantization.quantize_dynamic` on the loaded model's "
        "Linear layers, one scale per output channel (gitvoice/transcription/quantized.py); the convolutions and the "
        "output projection stay float32. WER: benchmarks/scoring.py (whisper's normaliser, digits one by one), "
        "pooled over the words. On the understanding corpus int8 loses accuracy, so float32 stays the default: "
        "see \"voice.cpuWeights\" below.",
        "",
        "| voice.cpuWeights | load (s) | transcribe all clips (s) | real-time factor | word error rate |",
        "|---|---:|---:|---:|---:|",
        *(f"| {name} | {r[0]:.2f} | {r[1]:.2f} | {r[1] / audio_s:.3f} | {r[2]:.1%} |" for name, r in results.items()),
        "",
        f"- Speed-up of transcription: {fp32[1] / int8[1]:.2f}x; the quantization adds {int8[0] - fp32[0]:.2f} s "
        "to the load.",
        f"- Transcripts that changed: {', '.join(changed) if changed else 'none'}.",
    ])
    print(body)
    for clip, a, b in zip(clips, fp32[3], int8[3], strict=True):
        if a != b:
            print(f"  {clip['id']}:\n    float32: {a}\n    int8:    {b}")
    if not options.no_write:
        write_section("quantize", body)


if __name__ == "__main__":
    main()
