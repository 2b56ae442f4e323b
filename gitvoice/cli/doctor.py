"""`git voice doctor`: what gitvoice finds on this machine, and a self-test transcription."""

from __future__ import annotations

import platform
import re
import shutil
from importlib import metadata, resources
from pathlib import Path

import click

from gitvoice import __version__
from gitvoice.cli.options import model_options
from gitvoice.config import settings
from gitvoice.core.errors import GitVoiceError

# Words the bundled sample must yield; a broken model or audio path misses them.
# What the bundled sample says, as a developer would type it, and the identifiers its demo change stages.
SAMPLE_TEXT = "Rename getUserById to fetch_user and update the callers in api/users.py."
SAMPLE_IDENTIFIERS = ("getUserById", "fetch_user", "api/users.py")
SELF_TEST_MAX_ERROR = 0.15  # 2 of its 16 words (identifiers count by their parts); a working model gets 0


def _words(text: str) -> list[str]:
    """Lowercase words and numbers; identifiers split at their separators (`api/users.py` -> api users py)."""
    return re.findall(r"[a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", text).lower())


def word_edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Levenshtein distance over words (substitutions, insertions, deletions)."""
    previous = list(range(len(hypothesis) + 1))
    for i, word in enumerate(reference, 1):
        current = [i]
        for j, other in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other)))
        previous = current
    return previous[-1]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance over the reference's length."""
    ref = _words(reference)
    return word_edit_distance(ref, _words(hypothesis)) / max(len(ref), 1)


def bundled_sample() -> Path:
    return Path(str(resources.files("gitvoice") / "data" / "sample.flac"))


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_version() -> str:
    from gitvoice.git.repo import git_version

    return git_version() or "not found"


def _line(label: str, value: str) -> None:
    click.echo(f"{label + ':':<16}{value}" if len(label) < 15 else f"{label}: {value}")


def _audio_devices() -> None:
    from gitvoice.audio.devices import list_devices

    try:
        devices = list_devices()
    except GitVoiceError as error:
        _line("audio", f"unavailable: {error.message}")
        return
    inputs = [d for d in devices if d.max_input_channels > 0]
    outputs = [d for d in devices if d.max_output_channels > 0]
    default_in = next((d.name for d in inputs if d.is_default_input), None)
    default_out = next((d.name for d in outputs if d.is_default_output), None)
    _line("audio input", f"{len(inputs)} device(s); default: {default_in or 'none'}"
          if inputs else "none found (no microphone or sound server); use --audio FILE")
    _line("audio output", f"{len(outputs)} device(s); default: {default_out or 'none'}"
          if outputs else "none found; readback can still write WAV files with -o")


@click.command()
@model_options
def doctor(model: str | None, device: str | None, language: str | None) -> None:
    """Check versions, device, model, audio and tools, then transcribe a bundled sample as a self-test."""
    _line("gitvoice", __version__)
    _line("python", f"{platform.python_version()} ({platform.platform()})")
    _line("git", _git_version())
    _line("torch", _version("torch"))
    _line("openai-whisper", _version("openai-whisper"))
    for tool in ("ffmpeg", "espeak-ng"):
        _line(tool, shutil.which(tool) or "not found")
    _audio_devices()

    from gitvoice.pipeline.speech import transcribe_file
    from gitvoice.pipeline.vocabulary import CodeVocabulary
    from gitvoice.transcription.device import choose_device, probe_backends
    from gitvoice.transcription.models import find_model
    from gitvoice.transcription.weights import cache_paths

    device_request = settings.resolve(settings.DEVICE, device)
    choice = choose_device(device_request, probe_backends(), settings.resolve(settings.CPU_WEIGHTS))
    _line("device", f"{choice.device} ({choice.dtype}); {choice.reason}")
    model_spec = settings.resolve(settings.MODEL, model)
    source = find_model(model_spec)
    _line("model", f"{source.name} from {source.files[0].parent}")
    if source.kind == "ct2":
        from gitvoice.transcription.weights import load_checkpoint, source_sha256

        load_checkpoint(source)  # converts and caches it the first time
        _line("model cache", str(cache_paths(source, source_sha256(source))[0]))
    sample = bundled_sample()
    # The whole code-aware path, as `git voice commit` runs it on the demo's staged change.
    result = transcribe_file(sample, model=model_spec, device=device_request,
                             vocabulary=CodeVocabulary(SAMPLE_IDENTIFIERS),
                             language=settings.resolve(settings.LANGUAGE, language) or None)
    _line("self-test", f"{result.text!r}")
    _line("timing", f"load {result.load_s:.2f} s, transcribe {result.transcribe_s:.2f} s "
          f"for {result.audio_s:.1f} s of audio on {result.device}")
    error_rate = word_error_rate(SAMPLE_TEXT, result.text)
    _line("self-test WER", f"{error_rate:.0%} of words against {SAMPLE_TEXT!r}")
    if error_rate > SELF_TEST_MAX_ERROR:
        raise GitVoiceError(f"self-test failed: the bundled sample came out as {result.text!r}, "
                            f"{error_rate:.0%} of its words wrong (at most {SELF_TEST_MAX_ERROR:.0%} is normal)",
                            hint="try --device cpu, or reinstall the model package; `git voice doctor --model "
                            "tiny.en` checks the bundled model")
    click.echo("doctor: all good")
