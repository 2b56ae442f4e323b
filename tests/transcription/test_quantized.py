"""int8 weights on the CPU (voice.cpuWeights): float32 by default, int8 when asked for (flag, environment, git config),
quantized after loading from the same cache, and still hearing the shared human clips right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support import Clip, git
from whisper.normalizers import EnglishTextNormalizer

from gitvoice.audio.files import read_audio
from gitvoice.cli.doctor import word_edit_distance
from gitvoice.config import settings
from gitvoice.core.errors import UsageError
from gitvoice.pipeline import engines
from gitvoice.transcription import device
from gitvoice.transcription.quantized import is_quantized

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def int8_engine(model_cache_dir: Path) -> Any:
    from gitvoice.transcription.engine import load_engine

    return load_engine("tiny.en", "cpu", weights="int8")


def test_the_setting_is_one_thing_in_every_layer() -> None:
    """config/ may not import transcription/: the names are written twice, and must agree."""
    assert settings.CPU_WEIGHTS.env == device.CPU_WEIGHTS_ENV
    assert settings.CPU_WEIGHTS.default == device.DEFAULT_CPU_WEIGHTS == "float32"
    assert engines.CPU_WEIGHTS == device.CPU_WEIGHTS == ("int8", "float32")


def test_the_default_cpu_engine_is_float32(engine: Any) -> None:
    assert engine.choice.device == "cpu" and engine.choice.dtype == "float32"
    assert not is_quantized(engine.model)


def test_int8_quantizes_every_linear_layer_per_channel(int8_engine: Any) -> None:
    assert int8_engine.choice.device == "cpu" and int8_engine.choice.dtype == "int8"
    assert is_quantized(int8_engine.model)
    weight = int8_engine.model.encoder.blocks[0].mlp[0].weight()
    assert str(weight.dtype) == "torch.qint8" and weight.q_per_channel_scales().numel() == weight.shape[0]


def test_int8_hears_the_shared_human_clips(int8_engine: Any, human_clips: list[Clip]) -> None:
    jfk = next(c for c in human_clips if c.id == "jfk_inaugural_1961")
    assert "ask not what your country can do for you" in int8_engine.transcribe(read_audio(jfk.path)).text.lower()
    normalize = EnglishTextNormalizer()
    errors = words = 0
    for clip in human_clips:
        reference = normalize(clip.text).split()
        hypothesis = normalize(int8_engine.transcribe(read_audio(clip.path)).text).split()
        errors += word_edit_distance(reference, hypothesis)
        words += len(reference)
    assert errors / words <= 0.10  # test_accuracy's bound for float32, which makes 7.0% with this normaliser


def test_voice_cpu_weights_int8_in_git_config_turns_it_on(repo: Path) -> None:
    git(repo, "config", "voice.cpuWeights", "int8")
    loaded = engines.speech_engine("tiny.en", "cpu", repo)
    assert not isinstance(loaded, engines.ServedEngine)
    assert loaded.choice.dtype == "int8" and is_quantized(loaded.model)


def test_a_bare_load_engine_honours_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """benchmarks/understanding.py loads with `load_engine(model, device)`: GITVOICE_CPU_WEIGHTS chooses."""
    from gitvoice.transcription.engine import load_engine

    monkeypatch.setenv("GITVOICE_CPU_WEIGHTS", "int8")
    loaded = load_engine("tiny.en", "cpu")
    assert loaded.choice.dtype == "int8" and is_quantized(loaded.model)


def test_a_gpu_that_fails_over_to_the_cpu_gets_the_cpus_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    from gitvoice.transcription import engine as engine_module

    monkeypatch.setattr(engine_module, "probe_backends",
                        lambda: device.BackendProbe(mps_available=False, cuda_available=True))
    notices: list[str] = []
    loaded = engine_module.load_engine("tiny.en", "auto", notices.append, weights="int8")
    assert len(notices) == 1 and "falling back to CPU" in notices[0]
    assert loaded.choice.device == "cpu" and loaded.choice.dtype == "int8" and is_quantized(loaded.model)


def test_flag_then_environment_then_git_config_then_default(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert engines.cpu_weights(repo) == "float32"
    git(repo, "config", "voice.cpuWeights", "int8")
    assert engines.cpu_weights(repo) == "int8"
    monkeypatch.setenv("GITVOICE_CPU_WEIGHTS", "FLOAT32")
    assert engines.cpu_weights(repo) == "float32"
    assert engines.cpu_weights(repo, "int8") == "int8"


def test_a_bad_value_is_one_line_that_says_where_it_came_from(repo: Path) -> None:
    git(repo, "config", "voice.cpuWeights", "int4")
    with pytest.raises(UsageError, match=r"git config voice\.cpuWeights: 'int4' is not int8 or float32") as info:
        engines.speech_engine("tiny.en", "cpu", repo)
    assert "float32" in (info.value.hint or "")


def test_the_cache_keeps_the_published_weights_and_int8_is_made_after_loading(engine: Any) -> None:
    from gitvoice.transcription.engine import load_engine
    from gitvoice.transcription.models import find_model
    from gitvoice.transcription.weights import load_checkpoint

    checkpoint, path = load_checkpoint(find_model("tiny.en"))  # the session's cache, written by `engine`
    assert path.is_file()
    assert all(tensor.dtype.is_floating_point for tensor in checkpoint["model_state_dict"].values())  # as published
    for weights in ("float32", "int8", "int8"):  # from the same cache entry, either way, again and again
        loaded = load_engine("tiny.en", "cpu", weights=weights)
        assert is_quantized(loaded.model) == (weights == "int8")
    assert load_checkpoint(find_model("tiny.en"))[1] == path


def test_the_service_loads_with_the_weights_a_command_would_use() -> None:
    from gitvoice.service.runtime import serve_command
    from gitvoice.service.server import load_service

    asked: list[dict[str, Any]] = []

    class Loaded:
        def transcribe_chunk(self, *args: Any, **kwargs: Any) -> None:
            pass

    def load(spec: str, device_name: str, **kwargs: Any) -> Any:
        asked.append({"spec": spec, "device": device_name, **kwargs})
        return Loaded()

    load_service(["tiny.en"], "cpu", "token", 0.0, load=load, weights="float32")
    assert asked == [{"spec": "tiny.en", "device": "cpu", "weights": "float32"}]
    command = serve_command(["tiny.en"], "cpu", 300.0, "float32")  # what `voice.server auto` starts
    assert command[command.index("--cpu-weights") + 1] == "float32"
