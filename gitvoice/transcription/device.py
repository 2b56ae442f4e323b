"""Which torch device and dtype to run Whisper on. `choose_device` is pure, so every branch is tested."""

from __future__ import annotations

import os
from dataclasses import dataclass

from gitvoice.core.errors import DeviceError, UsageError

DEVICE_CHOICES = ("auto", "mps", "cuda", "cpu")
# The weights on the CPU (voice.cpuWeights): float32 (as published), or int8 (the Linear layers dynamically
# quantized after loading: about 1.4x faster, but it hears some espeak-ng clips differently, the doctor's sample
# among them: docs/benchmarks.md). GPUs keep float16.
CPU_WEIGHTS = ("int8", "float32")
DEFAULT_CPU_WEIGHTS = "float32"
CPU_WEIGHTS_ENV = "GITVOICE_CPU_WEIGHTS"  # the environment variable of voice.cpuWeights (config/settings.py)


@dataclass(frozen=True)
class BackendProbe:
    """What torch reports about this machine."""

    mps_available: bool
    cuda_available: bool
    cuda_name: str | None = None  # e.g. "NVIDIA H100 80GB HBM3"


@dataclass(frozen=True)
class DeviceChoice:
    device: str  # "mps", "cuda" or "cpu"
    dtype: str  # "float16" on GPUs; "int8" or "float32" on the CPU (fp16 matmuls are slow or missing on CPUs)
    reason: str  # one line for `git voice doctor`

    @property
    def is_gpu(self) -> bool:
        return self.device != "cpu"


def cpu_weights(value: str | None = None) -> str:
    """int8 or float32: `value` (voice.cpuWeights, resolved by the caller from flags and git config), else the
    environment's GITVOICE_CPU_WEIGHTS (so a bare `load_engine(model, device)` honours it), else float32."""
    chosen = (value or os.environ.get(CPU_WEIGHTS_ENV) or DEFAULT_CPU_WEIGHTS).strip().lower()
    if chosen not in CPU_WEIGHTS:
        raise UsageError(f"CPU weights {chosen!r}: not int8 or float32",
                         hint="git config voice.cpuWeights int8 (or float32, the weights as published)")
    return chosen


def _choice(device: str, reason: str, weights: str) -> DeviceChoice:
    return DeviceChoice(device, weights if device == "cpu" else "float16", reason)


def choose_device(requested: str, probe: BackendProbe, weights: str | None = None) -> DeviceChoice:
    """`auto` prefers MPS, then CUDA, then CPU; an explicit device must be available. On the CPU the dtype is
    `weights` (see cpu_weights)."""
    weights = cpu_weights(weights)
    requested = requested.strip().lower()
    if requested not in DEVICE_CHOICES:
        raise DeviceError(
            f"unknown device {requested!r}",
            hint=f"use one of: {', '.join(DEVICE_CHOICES)}",
            exit_code=2,
        )
    if requested == "auto":
        if probe.mps_available:
            return _choice("mps", "auto: Apple MPS is available", weights)
        if probe.cuda_available:
            return _choice("cuda", f"auto: CUDA is available ({probe.cuda_name or 'GPU'})", weights)
        return _choice("cpu", "auto: no MPS or CUDA device found", weights)
    if requested == "mps" and not probe.mps_available:
        raise DeviceError("device mps was requested but Apple MPS is not available here",
                          hint="use --device auto or --device cpu")
    if requested == "cuda" and not probe.cuda_available:
        raise DeviceError("device cuda was requested but torch sees no CUDA GPU",
                          hint="use --device auto or --device cpu (or install a CUDA build of torch)")
    return _choice(requested, f"requested: {requested}", weights)


def fallback_to_cpu(failed: DeviceChoice, error: BaseException,
                    weights: str | None = None) -> tuple[DeviceChoice, str]:
    """The CPU choice (with `weights`, see cpu_weights) after a GPU failure, and the one line that tells the user."""
    detail = str(error).strip().splitlines()[0] if str(error).strip() else error.__class__.__name__
    message = f"gitvoice: {failed.device} failed ({detail[:160]}); falling back to CPU"
    return _choice("cpu", f"fallback: {failed.device} failed", cpu_weights(weights)), message


def without_int8(choice: DeviceChoice) -> DeviceChoice:
    """The same choice with float32 weights: where torch has no quantized engine for this CPU."""
    return DeviceChoice(choice.device, "float32", f"{choice.reason}; int8 unavailable here")


def probe_backends() -> BackendProbe:
    from gitvoice.transcription.torch_runtime import torch_module

    torch = torch_module()
    mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    cuda = bool(torch.cuda.is_available())
    return BackendProbe(mps, cuda, torch.cuda.get_device_name(0) if cuda else None)
