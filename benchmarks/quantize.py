"""Dynamic int8 quantization (fbgemm, x86) of the loaded Whisper model against float32: speed and word error rate on
the shared human clips. Measures only; the engine is not changed. Writes the `quantize` section of
docs/benchmarks.md.

    python benchmarks/quantize.py [--runs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, today, write_section

from gitvoice.audio.files import read_audio


def speech_dir() -> Path:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "testdata" / "speech"
        if (candidate / "manifest.jsonl").is_file():
            return candidate
    raise SystemExit("shared speech clips not found")


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]+", " ", text.lower()).split()


def edit_distance(a: list[str], b: list[str]) -> int:
    row = list(range(len(b) + 1))
    for i, word in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[-1]


def plain_linears(module: Any) -> int:
    """Swap whisper's Linear (a subclass that casts its weights) for torch's own, which quantize_dynamic knows."""
    import torch

    swapped = 0
    for name, child in module.named_children():
        if isinstance(child, torch.nn.Linear) and type(child) is not torch.nn.Linear:
            plain = torch.nn.Linear(child.in_features, child.out_features, bias=child.bias is not None)
            plain.load_state_dict(child.state_dict())
            setattr(module, name, plain)
            swapped += 1
        else:
            swapped += plain_linears(child)
    return swapped


def measure(engine: Any, clips: list[dict[str, Any]], runs: int) -> tuple[float, float, list[str]]:
    """(best total seconds over the clips, word error rate, texts)."""
    audio = [read_audio(speech_dir() / clip["path"]) for clip in clips]
    engine.transcribe(audio[0])  # warm-up
    best = float("inf")
    texts: list[str] = []
    for _ in range(runs):
        started = time.perf_counter()
        texts = [engine.transcribe(samples).text for samples in audio]
        best = min(best, time.perf_counter() - started)
    errors = sum(edit_distance(words(clip["text"]), words(text)) for clip, text in zip(clips, texts, strict=True))
    total = sum(len(words(clip["text"])) for clip in clips)
    return best, errors / total, texts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--no-write", action="store_true")
    options = parser.parse_args()
    import torch

    from gitvoice.transcription.engine import load_engine

    manifest = (speech_dir() / "manifest.jsonl").read_text().splitlines()
    clips = [item for line in manifest if line.strip() and (item := json.loads(line))["set"] == "human"]
    audio_s = sum(float(clip["duration_s"]) for clip in clips)
    load_before = os.getloadavg()
    engine = load_engine("tiny.en", "cpu")
    fp32 = measure(engine, clips, options.runs)
    torch.backends.quantized.engine = "fbgemm"
    started = time.perf_counter()
    swapped = plain_linears(engine.model)
    engine.model = torch.ao.quantization.quantize_dynamic(engine.model, {torch.nn.Linear}, dtype=torch.qint8)
    quantize_s = time.perf_counter() - started
    int8 = measure(engine, clips, options.runs)
    changed = [clip["id"] for clip, a, b in zip(clips, fp32[2], int8[2], strict=True) if a != b]
    body = "\n".join([
        f"## Dynamic int8 quantization of tiny.en on the CPU ({today()})",
        "",
        f"Machine: {machine()}; torch {torch.__version__}, threads {torch.get_num_threads()}, quantized engine "
        f"fbgemm; the machine is shared with other jobs (load average before: "
        f"{', '.join(f'{x:.2f}' for x in load_before)}). `python benchmarks/quantize.py --runs {options.runs}`: "
        f"the {len(clips)} shared human clips ({audio_s:.1f} s), `WhisperEngine.transcribe` with no vocabulary, "
        "best of the runs after a warm-up. int8: `torch.ao.quantization.quantize_dynamic` on the loaded model's "
        f"{swapped} Linear layers (whisper's Linear swapped for torch's own first; the convolutions and the "
        "output projection, a matmul with the token embedding, stay float32). Measured only: the engine is "
        "unchanged.",
        "",
        "| weights | transcribe all clips (s) | real-time factor | word error rate |",
        "|---|---:|---:|---:|",
        f"| float32 | {fp32[0]:.2f} | {fp32[0] / audio_s:.3f} | {fp32[1]:.1%} |",
        f"| int8 dynamic (fbgemm) | {int8[0]:.2f} | {int8[0] / audio_s:.3f} | {int8[1]:.1%} |",
        "",
        f"- Speed-up: {fp32[0] / int8[0]:.2f}x; quantizing took {quantize_s:.2f} s after loading.",
        f"- Transcripts that changed: {', '.join(changed) if changed else 'none'}.",
    ])
    print(body)
    for clip, a, b in zip(clips, fp32[2], int8[2], strict=True):
        if a != b:
            print(f"  {clip['id']}:\n    fp32: {a}\n    int8: {b}")
    if not options.no_write:
        write_section("quantize", body)


if __name__ == "__main__":
    main()
