"""`git voice doctor`: what gitvoice finds on this machine, and a self-test transcription."""

from __future__ import annotations

import platform
import shutil
from importlib import metadata, resources
from pathlib import Path

import click

from gitvoice import __version__
from gitvoice.cli.options import model_options
from gitvoice.config import settings
from gitvoice.core.errors import GitVoiceError

# Words the bundled sample must yield; a broken model or audio path misses them.
SAMPLE_EXPECTED_WORDS = ("rename", "fetch", "update")


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
    click.echo(f"{label + ':':<16}{value}")


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

    from gitvoice.audio.files import read_audio
    from gitvoice.transcription.device import choose_device, probe_backends
    from gitvoice.transcription.engine import load_engine
    from gitvoice.transcription.models import find_model
    from gitvoice.transcription.weights import cache_paths

    device_request = settings.resolve(settings.DEVICE, device)
    choice = choose_device(device_request, probe_backends())
    _line("device", f"{choice.device} ({choice.dtype}); {choice.reason}")
    model_spec = settings.resolve(settings.MODEL, model)
    source = find_model(model_spec)
    _line("model", f"{source.name} from {source.files[0].parent}")

    engine = load_engine(model_spec, device_request)
    if source.kind == "ct2":
        from gitvoice.transcription.weights import source_sha256

        _line("model cache", str(cache_paths(source, source_sha256(source))[0]))
    sample = bundled_sample()
    result = engine.transcribe(read_audio(sample), source_name=str(sample))
    _line("self-test", f"{result.text!r}")
    _line("timing", f"load {result.load_s:.2f} s, transcribe {result.transcribe_s:.2f} s "
          f"for {result.audio_s:.1f} s of audio on {result.device}")
    missing = [w for w in SAMPLE_EXPECTED_WORDS if w not in result.text.lower()]
    if missing:
        raise GitVoiceError(f"self-test transcript lacks {', '.join(missing)}: transcription is not working",
                            hint="try --device cpu, or reinstall the model package")
    click.echo("doctor: all good")
