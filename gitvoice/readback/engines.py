"""Text-to-speech engines behind one small interface: text in, mono float32 samples and their rate out.

The platform's own voice by default (`say` on macOS, espeak-ng on Linux, SAPI on Windows), or a neural Piper voice
the user installed. Nothing is downloaded: a missing engine is an error that says which one and how to get it.
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from gitvoice.audio.files import Samples, to_mono
from gitvoice.core.errors import AudioError, UsageError

ENGINE_NAMES = ("auto", "espeak-ng", "say", "sapi", "piper")
DEFAULT_RATE_WPM = 175  # espeak-ng's own default; a comfortable listening pace
PIPER_NATURAL_WPM = 160  # roughly how fast Piper voices speak at length_scale 1.0


class SpeechEngine(Protocol):
    @property
    def name(self) -> str:
        """How the engine is named to the user (and in --engine)."""
        ...

    def synthesize(self, text: str) -> tuple[Samples, int]:
        """`text` spoken: mono float32 samples and their rate in Hz."""
        ...


def _decode_wav(data: bytes, engine: str) -> tuple[Samples, int]:
    import soundfile

    try:
        frames, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (RuntimeError, OSError) as exc:
        raise AudioError(f"{engine} produced audio that cannot be read ({exc})".splitlines()[0]) from exc
    return to_mono(frames), int(rate)


def _run(command: list[str], engine: str, text_input: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(command, input=text_input, capture_output=True, check=False)
    except OSError as exc:
        raise AudioError(f"{engine} could not be started: {exc.strerror}") from exc
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip().splitlines()
        raise AudioError(f"{engine} failed: {reason[-1] if reason else f'exit {result.returncode}'}",
                         hint="check the voice name (--voice) and that the engine works on its own")
    return result.stdout


@dataclass(frozen=True)
class EspeakEngine:
    """espeak-ng (or classic espeak): small, offline, on every Linux distribution."""

    executable: str
    rate_wpm: int | None = None
    voice: str | None = None
    name: str = "espeak-ng"

    def synthesize(self, text: str) -> tuple[Samples, int]:
        # Text goes through stdin so that nothing in it can be taken for an option; --stdout writes a WAV.
        command = [self.executable, "--stdout", "-s", str(self.rate_wpm or DEFAULT_RATE_WPM)]
        if self.voice:
            command += ["-v", self.voice]
        return _decode_wav(_run([*command, "--stdin"], self.name, text.encode()), self.name)


@dataclass(frozen=True)
class SayEngine:
    """macOS's `say`: the system voice chosen in System Settings unless --voice names another."""

    executable: str
    rate_wpm: int | None = None
    voice: str | None = None
    name: str = "say"

    def synthesize(self, text: str) -> tuple[Samples, int]:
        with tempfile.TemporaryDirectory(prefix="gitvoice-say-") as folder:
            output = Path(folder) / "speech.wav"
            command = [self.executable, "-o", str(output), "--file-format=WAVE", "--data-format=LEI16@22050"]
            if self.rate_wpm:
                command += ["-r", str(self.rate_wpm)]
            if self.voice:
                command += ["-v", self.voice]
            _run([*command, "-f", "-"], self.name, text.encode())
            return _decode_wav(output.read_bytes(), self.name)


# System.Speech reads the text from stdin and writes a WAV file; the path and voice arrive in the environment, never
# spliced into the script, so no quoting can go wrong.
_SAPI_SCRIPT = (
    "Add-Type -AssemblyName System.Speech;"
    "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer;"
    "if ($env:GITVOICE_SAPI_VOICE) { $s.SelectVoice($env:GITVOICE_SAPI_VOICE) };"
    "$s.Rate = [int]$env:GITVOICE_SAPI_RATE;"
    "$s.SetOutputToWaveFile($env:GITVOICE_SAPI_OUT);"
    "$s.Speak([Console]::In.ReadToEnd()); $s.Dispose()"
)


def sapi_rate(rate_wpm: int | None) -> int:
    """SAPI's rate runs from -10 to 10 around about 180 words per minute, each step roughly 10 percent."""
    if not rate_wpm:
        return 0
    return max(-10, min(10, round((rate_wpm / 180 - 1) * 10)))


@dataclass(frozen=True)
class SapiEngine:
    """Windows' built-in voices through PowerShell and System.Speech."""

    executable: str
    rate_wpm: int | None = None
    voice: str | None = None
    name: str = "sapi"

    def synthesize(self, text: str) -> tuple[Samples, int]:
        with tempfile.TemporaryDirectory(prefix="gitvoice-sapi-") as folder:
            output = Path(folder) / "speech.wav"
            env = {**os.environ, "GITVOICE_SAPI_OUT": str(output), "GITVOICE_SAPI_VOICE": self.voice or "",
                   "GITVOICE_SAPI_RATE": str(sapi_rate(self.rate_wpm))}
            command = [self.executable, "-NoProfile", "-NonInteractive", "-Command", _SAPI_SCRIPT]
            try:
                result = subprocess.run(command, input=text.encode(), capture_output=True, env=env, check=False)
            except OSError as exc:
                raise AudioError(f"sapi could not be started: {exc.strerror}") from exc
            if result.returncode != 0 or not output.exists():
                reason = result.stderr.decode(errors="replace").strip().splitlines()
                raise AudioError(f"sapi failed: {reason[-1] if reason else f'exit {result.returncode}'}",
                                 hint="check the voice name (--voice) in Settings > Time & language > Speech")
            return _decode_wav(output.read_bytes(), self.name)


class PiperEngine:
    """A Piper neural voice (`pip install piper-tts` and a voice .onnx file with its .onnx.json beside it)."""

    name = "piper"

    def __init__(self, voice_path: Path, rate_wpm: int | None = None) -> None:
        self.voice_path = voice_path
        self.rate_wpm = rate_wpm
        self._voice: Any = None

    def _loaded(self) -> Any:
        if self._voice is None:
            piper: Any = importlib.import_module("piper")
            try:
                self._voice = piper.PiperVoice.load(str(self.voice_path))
            except Exception as exc:  # onnxruntime and JSON errors alike: the file is not a usable voice
                raise AudioError(f"piper cannot load the voice {self.voice_path}: {exc}".splitlines()[0],
                                 hint="give a Piper voice .onnx file with its .onnx.json config beside it") from exc
        return self._voice

    def synthesize(self, text: str) -> tuple[Samples, int]:
        voice = self._loaded()
        length_scale = PIPER_NATURAL_WPM / self.rate_wpm if self.rate_wpm else None
        piper: Any = importlib.import_module("piper")
        config = piper.SynthesisConfig(length_scale=length_scale) if length_scale else None
        chunks = [np.asarray(chunk.audio_float_array, dtype=np.float32)
                  for chunk in voice.synthesize(text, syn_config=config)]
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
        return samples, int(voice.config.sample_rate)


def platform_engine_name(platform: str = sys.platform) -> str:
    if platform == "darwin":
        return "say"
    if platform.startswith(("win", "cygwin")):
        return "sapi"
    return "espeak-ng"


def _is_piper_installed() -> bool:
    return importlib.util.find_spec("piper") is not None


def choose_engine_name(requested: str | None, piper_voice: str | None, platform: str = sys.platform,
                       piper_installed: Callable[[], bool] = _is_piper_installed) -> str:
    """`auto` means Piper when the user has set up a Piper voice and the package, else the platform's voice."""
    name = (requested or "auto").lower()
    if name == "espeak":
        name = "espeak-ng"
    if name not in ENGINE_NAMES:
        raise UsageError(f"unknown speech engine: {requested}",
                         hint=f"choose one of {', '.join(ENGINE_NAMES)} (--engine or git config voice.ttsEngine)")
    if name != "auto":
        return name
    if piper_voice and piper_installed():
        return "piper"
    return platform_engine_name(platform)


def load_tts_engine(name: str | None, *, voice: str | None = None, piper_voice: str | None = None,
                rate_wpm: int | None = None, which: Callable[[str], str | None] = shutil.which,
                platform: str = sys.platform) -> SpeechEngine:
    """The engine `name` (see ENGINE_NAMES) ready to speak, or an AudioError that says how to install it.

    `voice` is the engine's own voice name (espeak-ng `en-us`, say `Samantha`) or, for Piper, a .onnx path;
    `piper_voice` is the configured Piper voice file used when `voice` is not given.
    """
    asked_for_piper = bool(voice and voice.endswith(".onnx"))  # a Piper voice file names its engine
    piper_voice_path = voice if asked_for_piper else piper_voice
    chosen = choose_engine_name(name, piper_voice_path, platform)
    if asked_for_piper and chosen != "piper":
        if (name or "auto").lower() != "auto":
            raise UsageError(f"--voice {voice} is a Piper voice file; it does not work with --engine {name}",
                             hint="leave out --engine, or use --engine piper")
        chosen = "piper"  # say that piper is missing, rather than hand espeak-ng an .onnx file as a voice
    if chosen == "espeak-ng":
        executable = which("espeak-ng") or which("espeak")
        if executable is None:
            raise AudioError("speech engine espeak-ng is not installed",
                             hint="install it (apt install espeak-ng, dnf install espeak-ng, pacman -S espeak-ng), "
                             "or choose another with --engine")
        return EspeakEngine(executable, rate_wpm, voice)
    if chosen == "say":
        executable = which("say")
        if executable is None:
            raise AudioError("speech engine say is not available (it comes with macOS)",
                             hint="on Linux use --engine espeak-ng; on Windows --engine sapi")
        return SayEngine(executable, rate_wpm, voice)
    if chosen == "sapi":
        executable = which("powershell") or which("pwsh")
        if executable is None:
            raise AudioError("speech engine sapi needs Windows PowerShell, which was not found",
                             hint="SAPI voices exist only on Windows; elsewhere use --engine espeak-ng")
        return SapiEngine(executable, rate_wpm, voice)
    return _piper_engine(piper_voice_path, rate_wpm)


def _piper_engine(voice_path: str | None, rate_wpm: int | None) -> PiperEngine:
    if not _is_piper_installed():
        raise AudioError("speech engine piper is not installed",
                         hint="pip install piper-tts, then give a voice file: --voice VOICE.onnx "
                         "or git config voice.piperVoice /path/to/VOICE.onnx")
    if not voice_path:
        raise AudioError("speech engine piper needs a voice file, and none was given",
                         hint="download a voice (.onnx and .onnx.json) from the Piper voices list, then "
                         "--voice VOICE.onnx or git config voice.piperVoice /path/to/VOICE.onnx")
    path = Path(voice_path).expanduser()
    if not path.is_file():
        raise AudioError(f"Piper voice file not found: {path}",
                         hint="check the path given by --voice or git config voice.piperVoice")
    return PiperEngine(path, rate_wpm)
