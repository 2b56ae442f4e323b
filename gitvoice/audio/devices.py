"""The sound devices PortAudio sees (through sounddevice), with the defaults marked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gitvoice.core.errors import AudioError


@dataclass(frozen=True)
class SoundDevice:
    index: int
    name: str
    host_api: str
    max_input_channels: int
    max_output_channels: int
    default_rate_hz: float
    is_default_input: bool
    is_default_output: bool


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as exc:  # PortAudio's shared library is missing
        raise AudioError(
            f"the PortAudio library is not installed ({exc})",
            hint="install it: apt install libportaudio2 (Debian/Ubuntu), brew install portaudio (macOS)",
        ) from exc
    return sounddevice


def sounddevice_module() -> Any:
    """sounddevice, or an AudioError saying how to install PortAudio."""
    return _sounddevice()


def rescan_devices() -> None:
    """Make PortAudio look for devices again (it lists them once, when first initialised)."""
    sd = _sounddevice()
    sd._terminate()
    sd._initialize()


def list_devices() -> list[SoundDevice]:
    sd = _sounddevice()
    devices = sd.query_devices()
    default_in, default_out = sd.default.device
    host_apis = sd.query_hostapis()
    return [
        SoundDevice(
            index=int(d["index"]),
            name=str(d["name"]),
            host_api=str(host_apis[d["hostapi"]]["name"]),
            max_input_channels=int(d["max_input_channels"]),
            max_output_channels=int(d["max_output_channels"]),
            default_rate_hz=float(d["default_samplerate"]),
            is_default_input=int(d["index"]) == default_in,
            is_default_output=int(d["index"]) == default_out,
        )
        for d in devices
    ]
