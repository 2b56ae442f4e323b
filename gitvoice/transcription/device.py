"""Which torch device and dtype to run Whisper on. `choose_device` is pure, so every branch is tested."""

from __future__ import annotations

from dataclasses import dataclass

from gitvoice.core.errors import DeviceError

DEVICE_CHOICES = ("auto", "mps", "cuda", "cpu")


@dataclass(frozen=True)
class BackendProbe:
    """What torch reports about this machine."""

    mps_available: bool
    cuda_available: bool
    cuda_name: str | None = None  # e.g. "NVIDIA H100 80GB HBM3"


@dataclass(frozen=True)
class DeviceChoice:
    device: str  # "mps", "cuda" or "cpu"
    dtype: str  # "float16" on GPUs, "float32" on CPU (fp16 matmuls are slow or missing on CPUs)
    reason: str  # one line for `git voice doctor`

    @property
    def is_gpu(self) -> bool:
        return self.device != "cpu"


def _choice(device: str, reason: str) -> DeviceChoice:
    return DeviceChoice(device, "float32" if device == "cpu" else "float16", reason)


def choose_device(requested: str, probe: BackendProbe) -> DeviceChoice:
    """`auto` prefers MPS, then CUDA, then CPU; an explicit device must be available."""
    requested = requested.strip().lower()
    if requested not in DEVICE_CHOICES:
        raise DeviceError(
            f"unknown device {requested!r}",
            hint=f"use one of: {', '.join(DEVICE_CHOICES)}",
            exit_code=2,
        )
    if requested == "auto":
        if probe.mps_available:
            return _choice("mps", "auto: Apple MPS is available")
        if probe.cuda_available:
            return _choice("cuda", f"auto: CUDA is available ({probe.cuda_name or 'GPU'})")
        return _choice("cpu", "auto: no MPS or CUDA device found")
    if requested == "mps" and not probe.mps_available:
        raise DeviceError("device mps was requested but Apple MPS is not available here",
                          hint="use --device auto or --device cpu")
    if requested == "cuda" and not probe.cuda_available:
        raise DeviceError("device cuda was requested but torch sees no CUDA GPU",
                          hint="use --device auto or --device cpu (or install a CUDA build of torch)")
    return _choice(requested, f"requested: {requested}")


def fallback_to_cpu(failed: DeviceChoice, error: BaseException) -> tuple[DeviceChoice, str]:
    """The CPU choice after a GPU failure, and the one line that tells the user."""
    detail = str(error).strip().splitlines()[0] if str(error).strip() else error.__class__.__name__
    message = f"gitvoice: {failed.device} failed ({detail[:160]}); falling back to CPU"
    return _choice("cpu", f"fallback: {failed.device} failed"), message


def probe_backends() -> BackendProbe:
    import torch

    mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    cuda = bool(torch.cuda.is_available())
    return BackendProbe(mps, cuda, torch.cuda.get_device_name(0) if cuda else None)
