"""Device choice over every combination of backends and requests, and the CPU fallback."""

from __future__ import annotations

import itertools

import pytest

from gitvoice.core.errors import DeviceError, UsageError
from gitvoice.transcription import device as device_module
from gitvoice.transcription.device import (
    CPU_WEIGHTS,
    BackendProbe,
    DeviceChoice,
    choose_device,
    cpu_weights,
    fallback_to_cpu,
)

ALL_PROBES = [BackendProbe(mps, cuda, "H100" if cuda else None)
              for mps, cuda in itertools.product([False, True], repeat=2)]


def _expected(requested: str, probe: BackendProbe) -> str | None:
    """What gitvoice must pick; None where it must refuse."""
    if requested == "auto":
        return "mps" if probe.mps_available else "cuda" if probe.cuda_available else "cpu"
    if requested == "mps":
        return "mps" if probe.mps_available else None
    if requested == "cuda":
        return "cuda" if probe.cuda_available else None
    return "cpu"


@pytest.mark.parametrize("probe", ALL_PROBES, ids=lambda p: f"mps={p.mps_available},cuda={p.cuda_available}")
@pytest.mark.parametrize("requested", ["auto", "mps", "cuda", "cpu", "AUTO", " cpu "])
def test_every_request_on_every_machine(requested: str, probe: BackendProbe) -> None:
    expected = _expected(requested.strip().lower(), probe)
    if expected is None:
        with pytest.raises(DeviceError, match=r"not available|no CUDA") as info:
            choose_device(requested, probe)
        assert "--device auto" in (info.value.hint or "")
        return
    for weights in CPU_WEIGHTS:
        choice = choose_device(requested, probe, weights)
        assert choice.device == expected
        assert choice.dtype == (weights if expected == "cpu" else "float16")  # GPUs keep float16
        assert choice.reason


def test_an_unknown_device_is_a_usage_error() -> None:
    with pytest.raises(DeviceError, match="unknown device 'tpu'") as info:
        choose_device("tpu", BackendProbe(False, False))
    assert info.value.exit_code == 2
    assert "auto, mps, cuda, cpu" in (info.value.hint or "")


def test_fallback_message_is_one_line_and_names_the_device() -> None:
    choice, message = fallback_to_cpu(DeviceChoice("cuda", "float16", "auto"),
                                      RuntimeError("CUDA out of memory.\nTried to allocate 2 GiB"), "float32")
    assert choice == DeviceChoice("cpu", "float32", "fallback: cuda failed")
    assert message == "gitvoice: cuda failed (CUDA out of memory.); falling back to CPU"
    assert fallback_to_cpu(DeviceChoice("mps", "float16", "auto"), RuntimeError("x"), "int8")[0].dtype == "int8"


def test_cpu_weights_come_from_the_caller_else_the_environment_else_float32(monkeypatch: pytest.MonkeyPatch) -> None:
    assert cpu_weights() == "float32"
    monkeypatch.setenv("GITVOICE_CPU_WEIGHTS", "Int8")
    assert cpu_weights() == "int8"
    assert cpu_weights("float32") == "float32"  # what the caller resolved (flag, git config) wins
    assert choose_device("cpu", BackendProbe(False, False)).dtype == "int8"
    monkeypatch.setenv("GITVOICE_CPU_WEIGHTS", "int4")
    with pytest.raises(UsageError, match="'int4': not int8 or float32") as info:
        cpu_weights()
    assert "voice.cpuWeights" in (info.value.hint or "")


@pytest.mark.slow
@pytest.mark.parametrize("gpu", ["cuda", "mps"])
def test_a_gpu_that_fails_to_load_falls_back_to_cpu_once(gpu: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe claims a GPU (the one boundary we cannot have here); moving the real model there then
    fails for real (this torch has neither CUDA nor MPS), and gitvoice must say so and use the CPU."""
    from gitvoice.transcription import engine as engine_module

    monkeypatch.setattr(engine_module, "probe_backends",
                        lambda: BackendProbe(mps_available=gpu == "mps", cuda_available=gpu == "cuda"))
    notices: list[str] = []
    loaded = engine_module.load_engine("tiny.en", "auto", notice=notices.append)
    assert loaded.choice.device == "cpu"
    assert loaded.choice.dtype == "float32"  # the CPU's weights (voice.cpuWeights), also after a fallback
    assert len(notices) == 1
    assert notices[0].startswith(f"gitvoice: {gpu} failed (") and notices[0].endswith("falling back to CPU")
    assert str(next(loaded.model.parameters()).device) == "cpu"


def test_probe_reports_this_machine() -> None:
    import torch

    probe = device_module.probe_backends()
    assert probe.cuda_available == torch.cuda.is_available()
    assert probe.mps_available == torch.backends.mps.is_available()
    expected = "mps" if probe.mps_available else "cuda" if probe.cuda_available else "cpu"
    assert choose_device("auto", probe).device == expected
