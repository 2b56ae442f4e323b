"""Understanding benchmark: how well each model and decoding strategy hears developers explain code changes.

    .venv/bin/python benchmarks/understanding.py --models tiny.en base --strategies plain prompt \
        [--limit N] [--clips REGEX] [--markdown OUT.md] [--json OUT.json]
    .venv/bin/python benchmarks/understanding.py --rescore OUT.json  # new scoring, saved transcripts
    .venv/bin/python benchmarks/understanding.py --faster-whisper /path/to/venv/bin/python  # and a reference

Clips: the synthetic corpus in benchmarks/data/understanding (make it with benchmarks/make_corpus.py; each clip
comes with the staged diff it explains) and the human recordings in ../shared/testdata/speech/human (no diff,
so no vocabulary: there `plain` and `prompt` decode the same way). Reported per model x strategy x clip
class: WER, identifiers verbatim, clips with a lost clause, lost words, repetition loops, wrong-language
outputs, invented leading tokens, and compute seconds per second of audio. Multilingual models are forced
to English, as gitvoice does for English users.

With --faster-whisper PYTHON, faster-whisper (in that interpreter's environment: it is no dependency of
gitvoice) transcribes the same clips with the same tiny.en weights (the CTranslate2 folder gitvoice converts,
int8), greedy and with beam search 5, and for corpus clips also with the diff's identifiers as its `hotwords`:
the reference the issue's targets name ("no higher than faster-whisper's beam search on the same weights").

To add a decoding strategy, write a function `(DecodeInput) -> Decoded` and register it in STRATEGIES.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scoring  # benchmarks/ is not a package

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT / "benchmarks" / "data" / "understanding"
SPEECH_DIR = REPO_ROOT.parent / "shared" / "testdata" / "speech"  # ../shared/testdata/speech
SAMPLE_RATE = 16000


# === gitvoice adapter ======================================================================================
# Every gitvoice import lives here: the package is being reorganised, and this is the one place to follow it.

@dataclass(frozen=True)
class Gitvoice:
    load_engine: Callable[[str, str], Any]
    read_audio: Callable[[Path], Any]
    build_prompt: Callable[..., str | None]
    diff_identifiers: Callable[[Any], list[str]]
    restore_identifiers: Callable[[str, Iterable[str]], str]
    diff_context: Callable[[tuple[tuple[str, str, str | None], ...], str], Any]  # ((path, status, old), ...)

    def transcribe(self, engine: Any, samples: Any, prompt: str | None, language: str | None) -> tuple[str, str]:
        """(text, detected language) decoded with exactly `prompt` as Whisper's initial prompt; empty text when
        the engine finds no speech."""
        try:
            if "prompt" in inspect.signature(engine.transcribe).parameters:
                result = engine.transcribe(samples, prompt=prompt, language=language)
            else:
                result = _transcribe_with_prompt(engine, samples, prompt, language)
        except Exception as exc:  # NoSpeechError moves with the reorganisation; match it by name
            if type(exc).__name__ == "NoSpeechError":
                return "", language or ""
            raise
        return str(result.text), str(result.language)


def _transcribe_with_prompt(engine: Any, samples: Any, prompt: str | None, language: str | None) -> Any:
    """Newer engines take `vocabulary=` and build the prompt themselves (engine.prompt_for). A strategy owns its
    prompt, so the instance's prompt_for is swapped for one returning it during the call."""
    if prompt is None:
        return engine.transcribe(samples, vocabulary=(), language=language)
    engine.prompt_for = lambda _vocabulary: prompt
    try:
        return engine.transcribe(samples, vocabulary=(prompt,), language=language)
    finally:
        del engine.prompt_for  # back to the class's method


def gitvoice_api() -> Gitvoice:
    from gitvoice.audio.files import read_audio
    from gitvoice.composition.changes import ChangedFile, DiffContext
    from gitvoice.transcription.engine import load_engine
    from gitvoice.transcription.prompt import build_prompt

    try:
        from gitvoice.composition.identifiers import diff_identifiers
        from gitvoice.composition.restore import restore_identifiers
    except ImportError:
        from gitvoice.transcription.vocabulary import diff_identifiers, restore_identifiers  # type: ignore

    def diff_context(files: tuple[tuple[str, str, str | None], ...], diff_text: str) -> Any:
        return DiffContext(files=tuple(ChangedFile(path, status, old) for path, status, old in files),
                           diff_text=diff_text)

    return Gitvoice(load_engine=load_engine, read_audio=read_audio, build_prompt=build_prompt,
                    diff_identifiers=diff_identifiers, restore_identifiers=restore_identifiers,
                    diff_context=diff_context)

# === end of gitvoice adapter ===============================================================================


# --- clips ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Clip:
    id: str
    set: str  # "corpus" | "human"
    cls: str  # the corpus class (snake_case, path, ...) or "human"
    path: Path
    text: str
    identifiers: tuple[str, ...]
    diff: str  # the staged diff the clip explains; "" for human clips


def _read_manifest(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def corpus_clips(corpus_dir: Path = CORPUS_DIR) -> list[Clip]:
    manifest = corpus_dir / "manifest.jsonl"
    if not manifest.is_file():
        sys.exit(f"understanding: {manifest} not found; run benchmarks/make_corpus.py first")
    return [Clip(item["id"], "corpus", item["class"], corpus_dir / item["path"], item["text"],
                 tuple(item["identifiers"]), item["diff"]) for item in _read_manifest(manifest)]


def human_clips(speech_dir: Path = SPEECH_DIR) -> list[Clip]:
    manifest = speech_dir / "manifest.jsonl"
    if not manifest.is_file():
        print(f"understanding: {manifest} not found; human clips skipped", file=sys.stderr)
        return []
    return [Clip(item["id"], "human", "human", speech_dir / item["path"], item["text"], (), "")
            for item in _read_manifest(manifest) if item["set"] == "human"]


_DIFF_GIT_RE = re.compile(r"^diff --git a/(.*) b/(.*)$")


def changed_files(diff_text: str) -> tuple[tuple[str, str, str | None], ...]:
    """(path, status, old_path) per file of a `git diff --cached` text, from its extended headers."""
    files: list[list[Any]] = []
    for line in diff_text.splitlines():
        match = _DIFF_GIT_RE.match(line)
        if match:
            old, new = match[1], match[2]
            files.append([new, "M", old if old != new else None])
        elif files and line.startswith("new file mode"):
            files[-1][1] = "A"
        elif files and line.startswith("deleted file mode"):
            files[-1][1] = "D"
        elif files and line.startswith("rename from"):
            files[-1][1] = "R"
    return tuple((path, status, old) for path, status, old in files)


# --- strategies ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DecodeInput:
    api: Gitvoice
    engine: Any
    model: str
    clip: Clip
    samples: Any  # float32 16 kHz mono
    language: str | None  # "en" for multilingual models; None lets an English-only model be itself

    @property
    def multilingual(self) -> bool:
        return not self.model.endswith(".en")

    def vocabulary(self) -> list[str]:
        return _vocabulary(self.api, self.clip.diff)


@dataclass(frozen=True)
class Decoded:
    text: str  # the final transcript, after any post-processing the strategy does
    language: str  # what the engine reported
    prompt: str | None = None
    raw: str | None = None  # the engine's text before post-processing, when it differs


@lru_cache(maxsize=256)
def _vocabulary(api: Gitvoice, diff_text: str) -> list[str]:
    if not diff_text:
        return []
    return list(api.diff_identifiers(api.diff_context(changed_files(diff_text), diff_text)))


def decode_plain(inp: DecodeInput) -> Decoded:
    text, language = inp.api.transcribe(inp.engine, inp.samples, None, inp.language)
    return Decoded(text, language)


def decode_prompt(inp: DecodeInput) -> Decoded:
    """Today's code-aware path: the diff's identifiers as Whisper's prompt, then restored in the text."""
    words = inp.vocabulary()
    prompt = inp.api.build_prompt(words, multilingual=inp.multilingual) if words else None
    text, language = inp.api.transcribe(inp.engine, inp.samples, prompt, inp.language)
    restored = inp.api.restore_identifiers(text, words) if words else text
    return Decoded(restored, language, prompt, text if restored != text else None)


def decode_codeaware(inp: DecodeInput) -> Decoded:
    """gitvoice's code-aware decode: the engine takes the identifiers themselves (plain and primed decodes of the
    same audio, reconciled), then restoration."""
    words = inp.vocabulary()
    try:
        result = inp.engine.transcribe(inp.samples, vocabulary=words, language=inp.language)
    except Exception as exc:  # NoSpeechError, matched by name as above
        if type(exc).__name__ == "NoSpeechError":
            return Decoded("", inp.language or "")
        raise
    text = str(result.text)
    restored = inp.api.restore_identifiers(text, words) if words else text
    return Decoded(restored, str(result.language), None, text if restored != text else None)


Strategy = Callable[[DecodeInput], Decoded]
STRATEGIES: dict[str, Strategy] = {
    "plain": decode_plain,
    # Whisper's prompt alone; with an engine that takes a vocabulary it goes through that engine's own path.
    "prompt": decode_prompt,
    "codeaware": decode_codeaware,
}


# --- scoring one clip ----------------------------------------------------------------------------------------

@dataclass
class ClipResult:
    model: str
    strategy: str
    id: str
    set: str
    cls: str
    reference: str
    transcript: str
    raw_transcript: str | None
    prompt: str | None
    language: str
    audio_s: float
    compute_s: float
    wer: float
    edits: int
    ref_words: int
    ids_found: int
    ids_total: int
    lost_words: int
    lost: list[str] = field(default_factory=list)
    clause_lost: bool = False
    loop: bool = False
    wrong_language: bool = False
    invented_leading: list[str] = field(default_factory=list)


def score_clip(model: str, strategy: str, clip: Clip, decoded: Decoded, audio_s: float,
               compute_s: float) -> ClipResult:
    edits, ref_words = scoring.edit_counts(clip.text, decoded.text)
    found, total = scoring.identifiers_verbatim(decoded.text, clip.identifiers)
    lost = scoring.lost_words(clip.text, decoded.text)
    return ClipResult(
        model=model, strategy=strategy, id=clip.id, set=clip.set, cls=clip.cls, reference=clip.text,
        transcript=decoded.text, raw_transcript=decoded.raw, prompt=decoded.prompt, language=decoded.language,
        audio_s=round(audio_s, 3), compute_s=round(compute_s, 3),
        wer=round(edits / ref_words, 4) if ref_words else 0.0, edits=edits, ref_words=ref_words,
        ids_found=found, ids_total=total, lost_words=lost.count, lost=list(lost.words),
        clause_lost=lost.clause_lost, loop=scoring.is_loop(decoded.text),
        wrong_language=scoring.is_wrong_language(decoded.text, detected=decoded.language or None),
        invented_leading=scoring.invented_leading_tokens(clip.text, decoded.text),
    )


# --- running -------------------------------------------------------------------------------------------------

def run_model(api: Gitvoice, model: str, strategies: list[str], clips: list[Clip],
              device: str) -> list[ClipResult]:
    started = time.perf_counter()
    engine = api.load_engine(model, device)
    print(f"[{model}] loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    language = None if model.endswith(".en") else "en"
    audio = {clip.id: api.read_audio(clip.path) for clip in clips}
    # Warm-up: the first decode pays one-off costs (allocations, kernel selection) that are not per clip.
    api.transcribe(engine, audio[clips[0].id][: 2 * SAMPLE_RATE], None, language)
    results: list[ClipResult] = []
    for strategy in strategies:
        for index, clip in enumerate(clips, 1):
            samples = audio[clip.id]
            inp = DecodeInput(api, engine, model, clip, samples, language)
            started = time.perf_counter()
            decoded = STRATEGIES[strategy](inp)
            compute_s = time.perf_counter() - started
            result = score_clip(model, strategy, clip, decoded, len(samples) / SAMPLE_RATE, compute_s)
            results.append(result)
            print(f"[{model} {strategy} {index}/{len(clips)}] {clip.id}: wer={result.wer:.2f} "
                  f"ids={result.ids_found}/{result.ids_total} | {decoded.text}", file=sys.stderr)
    return results


# --- faster-whisper, the reference ----------------------------------------------------------------------------

# Run in the interpreter given with --faster-whisper; reads [{id, path, hotwords}] on stdin, writes
# {id: {strategy: [text, seconds]}} on stdout. Only faster-whisper is imported there.
FASTER_WHISPER_CHILD = """
import json, sys, time
from faster_whisper import WhisperModel
model = WhisperModel(sys.argv[1], device="cpu", compute_type="int8")
out = {}
for clip in json.load(sys.stdin):
    ways = {"beam 1": dict(beam_size=1), "beam 5": dict(beam_size=5)}
    if clip["hotwords"]:
        ways["beam 5, hotwords"] = dict(beam_size=5, hotwords=clip["hotwords"])
    out[clip["id"]] = {}
    for name, options in ways.items():
        started = time.perf_counter()
        segments, _ = model.transcribe(clip["path"], language="en", **options)
        text = " ".join(segment.text.strip() for segment in segments)
        out[clip["id"]][name] = [text, time.perf_counter() - started]
json.dump(out, sys.stdout)
"""


def run_faster_whisper(api: Gitvoice, python: Path, clips: list[Clip]) -> list[ClipResult]:
    """faster-whisper's transcripts of `clips` (tiny.en, int8: greedy, beam 5, and beam 5 with the diff's
    identifiers as hotwords), scored as gitvoice's are."""
    import subprocess

    from gitvoice.transcription.models import find_model

    model_dir = find_model("tiny.en").files[0].parent
    request = [{"id": clip.id, "path": str(clip.path), "hotwords": " ".join(_vocabulary(api, clip.diff))}
               for clip in clips]
    started = time.perf_counter()
    done = subprocess.run([str(python), "-c", FASTER_WHISPER_CHILD, str(model_dir)], input=json.dumps(request),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"understanding: faster-whisper failed in {python}: {done.stderr.strip()[-400:]}")
    print(f"[faster-whisper] {len(clips)} clips in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    transcripts = json.loads(done.stdout)
    results = []
    for clip in clips:
        audio_s = len(api.read_audio(clip.path)) / SAMPLE_RATE
        for strategy, (text, seconds) in transcripts[clip.id].items():
            results.append(score_clip("faster-whisper tiny.en int8", strategy, clip, Decoded(text, "en"),
                                      audio_s, seconds))
    return results


# --- reporting -----------------------------------------------------------------------------------------------

CLASS_ORDER = ("snake_case", "camelCase", "PascalCase", "SCREAMING_CASE", "dotted", "path", "version", "issue",
               "flag", "mixed")


@dataclass(frozen=True)
class Row:
    model: str
    strategy: str
    group: str
    clips: int
    wer: float
    median_wer: float
    ids_found: int
    ids_total: int
    clause_lost: int
    lost_words: int
    loops: int
    wrong_language: int
    invented: int
    compute_per_audio_s: float


def summarize(model: str, strategy: str, group: str, results: list[ClipResult]) -> Row:
    ref_words = sum(r.ref_words for r in results)
    audio_s = sum(r.audio_s for r in results)
    return Row(
        model=model, strategy=strategy, group=group, clips=len(results),
        wer=sum(r.edits for r in results) / ref_words if ref_words else 0.0,  # pooled over words, not clips
        median_wer=statistics.median(r.wer for r in results) if results else 0.0,  # a loop's 800% cannot sway it
        ids_found=sum(r.ids_found for r in results), ids_total=sum(r.ids_total for r in results),
        clause_lost=sum(r.clause_lost for r in results), lost_words=sum(r.lost_words for r in results),
        loops=sum(r.loop for r in results), wrong_language=sum(r.wrong_language for r in results),
        invented=sum(bool(r.invented_leading) for r in results),
        compute_per_audio_s=sum(r.compute_s for r in results) / audio_s if audio_s else 0.0,
    )


def _groups(results: list[ClipResult]) -> list[tuple[str, list[ClipResult]]]:
    classes = sorted({r.cls for r in results if r.set == "corpus"},
                     key=lambda c: (CLASS_ORDER.index(c) if c in CLASS_ORDER else len(CLASS_ORDER), c))
    groups = [(cls, [r for r in results if r.cls == cls]) for cls in classes]
    corpus = [r for r in results if r.set == "corpus"]
    human = [r for r in results if r.set == "human"]
    if corpus:
        groups.append(("**corpus (all)**", corpus))
    if human:
        groups.append(("**human**", human))
    return groups


def summary_rows(results: list[ClipResult]) -> list[Row]:
    rows: list[Row] = []
    keys = list(dict.fromkeys((r.model, r.strategy) for r in results))
    for model, strategy in keys:
        mine = [r for r in results if r.model == model and r.strategy == strategy]
        rows += [summarize(model, strategy, group, members) for group, members in _groups(mine)]
    return rows


def markdown(rows: list[Row]) -> str:
    lines = [
        "| model | strategy | class | clips | WER | median WER | identifiers verbatim | clause lost | lost words "
        "| loops | wrong lang | invented lead | compute s / audio s |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in rows:
        ids = (f"{row.ids_found}/{row.ids_total} ({100 * row.ids_found / row.ids_total:.0f}%)"
               if row.ids_total else "-")
        lines.append(f"| {row.model} | {row.strategy} | {row.group} | {row.clips} | {100 * row.wer:.1f}% "
                     f"| {100 * row.median_wer:.1f}% | {ids} "
                     f"| {row.clause_lost} | {row.lost_words} | {row.loops} | {row.wrong_language} | {row.invented} "
                     f"| {row.compute_per_audio_s:.3f} |")
    return "\n".join(lines) + "\n"


def rescore(path: Path, clips: list[Clip]) -> list[ClipResult]:
    """Scores recomputed from the transcripts of an earlier --json run: to follow a change in scoring.py
    without decoding again."""
    by_id = {clip.id: clip for clip in clips}
    results = []
    for item in json.loads(path.read_text())["clips"]:
        clip = by_id.get(item["id"])
        if clip is None:
            continue  # not selected (--clips, --limit, --no-human) or no longer in the corpus
        decoded = Decoded(item["transcript"], item["language"], item.get("prompt"), item.get("raw_transcript"))
        results.append(score_clip(item["model"], item["strategy"], clip, decoded, item["audio_s"], item["compute_s"]))
    return results


def select_clips(clips: list[Clip], pattern: str | None, limit: int | None) -> list[Clip]:
    chosen = [clip for clip in clips if not pattern or re.search(pattern, clip.id)]
    return chosen[:limit] if limit else chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=["tiny.en"], help="gitvoice model names (default: tiny.en)")
    parser.add_argument("--strategies", nargs="+", default=list(STRATEGIES), choices=list(STRATEGIES))
    parser.add_argument("--clips", metavar="REGEX", help="only clips whose id matches")
    parser.add_argument("--limit", type=int, help="only the first N clips (after --clips)")
    parser.add_argument("--no-human", action="store_true", help="leave out the human clips")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help="corpus folder (default: %(default)s)")
    parser.add_argument("--speech-dir", type=Path,
                        default=Path(os.environ.get("GITVOICE_SPEECH_DIR") or SPEECH_DIR),
                        help="shared speech data, for the human clips (default: %(default)s)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--markdown", type=Path, metavar="OUT", help="write the table here (default: stdout)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write per-clip results (transcripts, metrics)")
    parser.add_argument("--rescore", type=Path, metavar="JSON", action="append",
                        help="score the transcripts of earlier --json runs instead of decoding (repeatable)")
    parser.add_argument("--faster-whisper", type=Path, metavar="PYTHON",
                        help="also transcribe with faster-whisper, installed for this interpreter (the reference)")
    args = parser.parse_args(argv)

    clips = corpus_clips(args.corpus) + ([] if args.no_human else human_clips(args.speech_dir))
    clips = select_clips(clips, args.clips, args.limit)
    if not clips:
        sys.exit("understanding: no clips selected")
    results: list[ClipResult] = []
    if args.rescore:
        for path in args.rescore:
            results += rescore(path, clips)
    else:
        api = gitvoice_api()
        for model in args.models:
            results += run_model(api, model, args.strategies, clips, args.device)
    if args.faster_whisper:
        results += run_faster_whisper(gitvoice_api(), args.faster_whisper, clips)
    table = markdown(summary_rows(results))
    if args.markdown:
        args.markdown.write_text(table)
    print(table)
    if args.json:
        args.json.write_text(json.dumps({"rows": [asdict(row) for row in summary_rows(results)],
                                         "clips": [asdict(r) for r in results]}, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
