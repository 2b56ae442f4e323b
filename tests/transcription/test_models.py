"""Model weights: CTranslate2 conversion, the verified cache, model lookup and refusal of bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch
from ct2_writer import ct2_model_bytes

from gitvoice.core.errors import ModelError
from gitvoice.transcription.convert import convert_ct2_whisper, whisper_dims
from gitvoice.transcription.ct2_format import Ct2Model, read_ct2_model
from gitvoice.transcription.engine import build_whisper
from gitvoice.transcription.models import ModelSource, find_model
from gitvoice.transcription.weights import cache_paths, load_checkpoint, source_sha256, verified_ahead

TINY_EN_DIMS = {
    "n_mels": 80, "n_audio_ctx": 1500, "n_audio_state": 384, "n_audio_head": 6, "n_audio_layer": 4,
    "n_vocab": 51864, "n_text_ctx": 448, "n_text_state": 384, "n_text_head": 6, "n_text_layer": 4,
}


@pytest.fixture(scope="module")
def tiny_en() -> ModelSource:
    return find_model("tiny.en")


@pytest.fixture(scope="module")
def tiny_en_ct2(tiny_en: ModelSource) -> Ct2Model:
    return read_ct2_model(tiny_en.read_model_bin(), "tiny.en")


def test_tiny_en_dimensions_come_from_the_tensor_shapes(tiny_en_ct2: Ct2Model) -> None:
    assert whisper_dims(tiny_en_ct2).__dict__ == TINY_EN_DIMS


def test_converted_tiny_en_loads_strictly_with_tuned_alignment_heads(tiny_en: ModelSource) -> None:
    checkpoint, path = load_checkpoint(tiny_en)
    assert checkpoint["dims"] == TINY_EN_DIMS
    model = build_whisper(checkpoint)  # load_state_dict(strict=True) inside
    assert model.is_multilingual is False
    # encoder.positional_embedding is a persistent buffer: it must come from the checkpoint
    assert "encoder.positional_embedding" in checkpoint["model_state_dict"]
    assert not any(k.endswith("attn.key.bias") for k in checkpoint["model_state_dict"])
    config_heads = json.loads(tiny_en.config.read_text())["alignment_heads"]  # type: ignore[union-attr]
    dense = model.alignment_heads.to_dense()
    assert sorted(map(list, dense.nonzero().tolist())) == sorted(config_heads)
    # whisper's default would be "the last half of the layers", which differs from the tuned heads
    assert dense[:2].any()
    assert path.suffix == ".pt"


def test_fused_projections_are_split_in_query_key_value_order(tiny_en_ct2: Ct2Model) -> None:
    converted = convert_ct2_whisper(tiny_en_ct2, "tiny.en")["model_state_dict"]
    fused = tiny_en_ct2.variables["decoder/layer_2/self_attention/linear_0/weight"]
    assert np.array_equal(converted["decoder.blocks.2.attn.query.weight"], fused[:384])
    assert np.array_equal(converted["decoder.blocks.2.attn.key.weight"], fused[384:768])
    assert np.array_equal(converted["decoder.blocks.2.attn.value.weight"], fused[768:])
    cross = tiny_en_ct2.variables["decoder/layer_0/attention/linear_1/weight"]
    assert np.array_equal(converted["decoder.blocks.0.cross_attn.key.weight"], cross[:384])
    assert np.array_equal(converted["decoder.blocks.0.cross_attn.value.weight"], cross[384:])


def test_cache_is_reused_without_converting_again(tiny_en: ModelSource) -> None:
    _, checkpoint = load_checkpoint(tiny_en)
    record = checkpoint.with_suffix(".json")
    meta = json.loads(record.read_text())
    assert meta["source_sha256"] == source_sha256(tiny_en)
    before = checkpoint.stat().st_mtime_ns
    load_checkpoint(tiny_en)
    assert checkpoint.stat().st_mtime_ns == before


def test_damaged_cache_is_detected_and_rebuilt(tiny_en: ModelSource, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("GITVOICE_CACHE_DIR", str(tmp_path / "cache"))
    _, checkpoint = load_checkpoint(tiny_en)
    data = bytearray(checkpoint.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte in the middle of the weights
    checkpoint.write_bytes(bytes(data))
    rebuilt, _ = load_checkpoint(tiny_en)
    assert "damaged or stale" in caplog.text
    build_whisper(rebuilt)
    assert checkpoint.read_bytes() != bytes(data)


def test_a_cache_hashed_ahead_is_checked_the_same(tiny_en: ModelSource, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    """The engine hashes the cache in a thread while torch imports (verified_ahead): a good cache loads without
    converting, a damaged one is still found and rebuilt."""
    monkeypatch.setenv("GITVOICE_CACHE_DIR", str(tmp_path / "cache"))
    _, checkpoint = load_checkpoint(tiny_en)
    before = checkpoint.stat().st_mtime_ns
    loaded, _ = load_checkpoint(tiny_en, verified_ahead(tiny_en))
    assert checkpoint.stat().st_mtime_ns == before and "damaged" not in caplog.text
    build_whisper(loaded)
    data = bytearray(checkpoint.read_bytes())
    data[len(data) // 3] ^= 0xFF
    checkpoint.write_bytes(bytes(data))
    rebuilt, _ = load_checkpoint(tiny_en, verified_ahead(tiny_en))
    assert "damaged or stale" in caplog.text
    build_whisper(rebuilt)


class _Payload:
    """What a hostile cache file could hold: unpickling it would run a command."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        import os

        return os.system, ("touch /tmp/gitvoice-pwned",)


def test_a_cache_file_with_a_hostile_pickle_is_treated_as_damaged(tiny_en: ModelSource, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Even with a record whose hash matches it, a checkpoint torch's weights_only loader refuses is rebuilt."""
    import hashlib
    import pickle

    monkeypatch.setenv("GITVOICE_CACHE_DIR", str(tmp_path / "cache"))
    _, checkpoint = load_checkpoint(tiny_en)
    checkpoint.write_bytes(pickle.dumps({"dims": {}, "model_state_dict": _Payload()}))
    record = checkpoint.with_suffix(".json")
    meta = json.loads(record.read_text())
    meta["checkpoint_sha256"] = hashlib.sha256(checkpoint.read_bytes()).hexdigest()
    record.write_text(json.dumps(meta))
    rebuilt, _ = load_checkpoint(tiny_en)
    assert rebuilt["dims"] == TINY_EN_DIMS
    assert not Path("/tmp/gitvoice-pwned").exists()


def test_truncated_cache_file_is_rebuilt(tiny_en: ModelSource, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITVOICE_CACHE_DIR", str(tmp_path / "cache"))
    _, checkpoint = load_checkpoint(tiny_en)
    checkpoint.write_bytes(checkpoint.read_bytes()[:1000])
    rebuilt, _ = load_checkpoint(tiny_en)
    assert rebuilt["dims"] == TINY_EN_DIMS


def _write_variant(tmp_path: Path, model: Ct2Model, variables: dict[str, np.ndarray],
                   aliases: dict[str, str] | None = None) -> ModelSource:
    folder = tmp_path / "variant"
    folder.mkdir()
    (folder / "model.bin").write_bytes(ct2_model_bytes(variables, model.aliases if aliases is None else aliases))
    return find_model(str(folder))


def test_a_ctranslate2_directory_path_is_accepted(tiny_en_ct2: Ct2Model, tmp_path: Path) -> None:
    source = _write_variant(tmp_path, tiny_en_ct2, dict(tiny_en_ct2.variables))
    checkpoint, _ = load_checkpoint(source)
    assert checkpoint["alignment_heads"] is None  # no config.json: whisper's default heads
    build_whisper(checkpoint)


def test_quantized_exports_are_refused(tiny_en_ct2: Ct2Model, tmp_path: Path) -> None:
    variables = dict(tiny_en_ct2.variables)
    variables["encoder/layer_0/ffn/linear_0/weight_scale"] = np.ones(1536, dtype=np.float32)
    with pytest.raises(ModelError, match="quantized"):
        load_checkpoint(_write_variant(tmp_path, tiny_en_ct2, variables))


def test_nonzero_key_bias_is_refused(tiny_en_ct2: Ct2Model, tmp_path: Path) -> None:
    variables = dict(tiny_en_ct2.variables)
    bias = variables["encoder/layer_0/self_attention/linear_0/bias"].copy()
    bias[400] = 1.0  # inside the key third
    variables["encoder/layer_0/self_attention/linear_0/bias"] = bias
    with pytest.raises(ModelError, match="key bias"):
        load_checkpoint(_write_variant(tmp_path, tiny_en_ct2, variables))


def test_untied_output_projection_is_refused(tiny_en_ct2: Ct2Model, tmp_path: Path) -> None:
    variables = dict(tiny_en_ct2.variables)
    variables["decoder/projection/weight"] = variables["decoder/embeddings/weight"] * 2
    with pytest.raises(ModelError, match="not tied"):
        load_checkpoint(_write_variant(tmp_path, tiny_en_ct2, variables, aliases={}))


def test_truncated_model_bin_names_the_problem(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    real = find_model("tiny.en").files[0]
    (folder / "model.bin").write_bytes(real.read_bytes()[:100_000])
    with pytest.raises(ModelError, match="truncated"):
        load_checkpoint(find_model(str(folder)))


def test_base_parts_with_the_wrong_sha256_are_refused(tmp_path: Path) -> None:
    part = tmp_path / "model.bin.part1"
    part.write_bytes(b"not the published weights")
    source = ModelSource("base", "ct2", (part,), None,
                         "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57")
    with pytest.raises(ModelError, match="sha256"):
        source.read_model_bin()


def test_openai_whisper_pt_checkpoints_load(tiny_en: ModelSource, tmp_path: Path) -> None:
    checkpoint, _ = load_checkpoint(tiny_en)
    pt = tmp_path / "tiny.en.pt"
    torch.save({"dims": checkpoint["dims"], "model_state_dict": checkpoint["model_state_dict"]}, pt)
    source = find_model(str(pt))
    assert source.kind == "whisper-pt"
    build_whisper(load_checkpoint(source)[0])


def test_whisper_cache_names_are_found(tiny_en: ModelSource, tmp_path: Path, hermetic_env: Path) -> None:
    cache = hermetic_env / ".cache" / "whisper"
    cache.mkdir(parents=True)
    shutil.copy(load_checkpoint(tiny_en)[1], cache / "small.pt")
    assert find_model("small").files == (cache / "small.pt",)


@pytest.mark.parametrize(("spec", "message"), [
    ("large-v9", "unknown model 'large-v9'"),
    ("/nonexistent/model.pt", "does not exist"),
])
def test_unknown_models_get_a_clear_error(spec: str, message: str) -> None:
    with pytest.raises(ModelError, match=message) as info:
        find_model(spec)
    assert info.value.hint


def test_a_random_pt_file_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.pt"
    bogus.write_bytes(b"garbage")
    with pytest.raises(ModelError, match="not a loadable openai-whisper checkpoint"):
        load_checkpoint(find_model(str(bogus)))


def test_cache_names_keep_the_model_name(tiny_en: ModelSource) -> None:
    checkpoint, record = cache_paths(tiny_en, "ab" * 32)
    assert checkpoint.name == "tiny.en-abababababababab.pt"
    assert record.name == "tiny.en-abababababababab.json"


@pytest.mark.slow
def test_base_model_converts_after_its_sha256_check(engine: object) -> None:
    source = find_model("base")
    checkpoint, _ = load_checkpoint(source)
    model = build_whisper(checkpoint)
    assert model.is_multilingual
    assert checkpoint["dims"]["n_vocab"] == 51865
