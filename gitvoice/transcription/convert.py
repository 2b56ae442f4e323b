"""Turn a CTranslate2 Whisper export into openai-whisper's checkpoint form: {"dims", "model_state_dict"}."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from gitvoice.core.errors import ModelError
from gitvoice.transcription.ct2_format import Ct2Model

_LAYER = re.compile(r"^(encoder|decoder)/layer_(\d+)/")


@dataclass(frozen=True)
class WhisperDims:
    """Mirror of whisper.model.ModelDimensions, derived from tensor shapes."""

    n_mels: int
    n_audio_ctx: int
    n_audio_state: int
    n_audio_head: int
    n_audio_layer: int
    n_vocab: int
    n_text_ctx: int
    n_text_state: int
    n_text_head: int
    n_text_layer: int


def whisper_dims(model: Ct2Model) -> WhisperDims:
    v = model.variables
    layers = {"encoder": set(), "decoder": set()}  # type: dict[str, set[int]]
    for name in v:
        match = _LAYER.match(name)
        if match:
            layers[match.group(1)].add(int(match.group(2)))
    n_audio_state, n_mels, _kernel = v["encoder/conv1/weight"].shape
    n_vocab, n_text_state = v["decoder/embeddings/weight"].shape
    return WhisperDims(
        n_mels=int(n_mels),
        n_audio_ctx=int(v["encoder/position_encodings/encodings"].shape[0]),
        n_audio_state=int(n_audio_state),
        n_audio_head=int(v["encoder/num_heads"]),
        n_audio_layer=len(layers["encoder"]),
        n_vocab=int(n_vocab),
        n_text_ctx=int(v["decoder/position_encodings/encodings"].shape[0]),
        n_text_state=int(n_text_state),
        n_text_head=int(v["decoder/num_heads"]),
        n_text_layer=len(layers["decoder"]),
    )


def _norm(out: dict[str, np.ndarray], v: dict[str, np.ndarray], src: str, dst: str) -> None:
    out[f"{dst}.weight"] = v[f"{src}/gamma"]
    out[f"{dst}.bias"] = v[f"{src}/beta"]


def _linear(out: dict[str, np.ndarray], v: dict[str, np.ndarray], src: str, dst: str) -> None:
    out[f"{dst}.weight"] = v[f"{src}/weight"]
    out[f"{dst}.bias"] = v[f"{src}/bias"]


def _split_fused(
    out: dict[str, np.ndarray],
    v: dict[str, np.ndarray],
    src: str,
    targets: tuple[str, ...],
    source_name: str,
) -> None:
    """Split a projection fused along dim 0 (q|k|v or k|v) into whisper's separate Linear layers.

    Whisper's key projections have no bias; CTranslate2 stores zeros there, which we check and drop.
    """
    weights = np.split(v[f"{src}/weight"], len(targets), axis=0)
    biases = np.split(v[f"{src}/bias"], len(targets), axis=0)
    for target, weight, bias in zip(targets, weights, biases, strict=True):
        out[f"{target}.weight"] = weight
        if target.endswith(".key"):
            if np.any(bias != 0):
                raise ModelError(f"{source_name}: non-zero key bias in {src}; not a Whisper export")
        else:
            out[f"{target}.bias"] = bias


def _refuse_quantized(model: Ct2Model, source_name: str) -> None:
    if any(name.endswith("/weight_scale") for name in model.variables):
        raise ModelError(
            f"{source_name}: quantized CTranslate2 export (int8); gitvoice needs float16 or float32 weights",
            hint="export again with `ct2-transformers-converter --quantization float16`",
        )


def convert_ct2_whisper(model: Ct2Model, source_name: str) -> dict[str, Any]:
    """Return `{"dims": dict, "model_state_dict": {name: ndarray}}` for whisper.model.Whisper."""
    if model.spec_name != "WhisperSpec":
        raise ModelError(f"{source_name}: a {model.spec_name} model, not Whisper")
    _refuse_quantized(model, source_name)
    v = model.variables
    dims = whisper_dims(model)
    out: dict[str, np.ndarray] = {}

    for conv in ("conv1", "conv2"):
        _linear(out, v, f"encoder/{conv}", f"encoder.{conv}")
    out["encoder.positional_embedding"] = v["encoder/position_encodings/encodings"]
    for i in range(dims.n_audio_layer):
        src, dst = f"encoder/layer_{i}", f"encoder.blocks.{i}"
        _norm(out, v, f"{src}/self_attention/layer_norm", f"{dst}.attn_ln")
        _split_fused(out, v, f"{src}/self_attention/linear_0",
                     (f"{dst}.attn.query", f"{dst}.attn.key", f"{dst}.attn.value"), source_name)
        _linear(out, v, f"{src}/self_attention/linear_1", f"{dst}.attn.out")
        _norm(out, v, f"{src}/ffn/layer_norm", f"{dst}.mlp_ln")
        _linear(out, v, f"{src}/ffn/linear_0", f"{dst}.mlp.0")
        _linear(out, v, f"{src}/ffn/linear_1", f"{dst}.mlp.2")
    _norm(out, v, "encoder/layer_norm", "encoder.ln_post")

    embedding = v["decoder/embeddings/weight"]
    out["decoder.token_embedding.weight"] = embedding
    out["decoder.positional_embedding"] = v["decoder/position_encodings/encodings"]
    for i in range(dims.n_text_layer):
        src, dst = f"decoder/layer_{i}", f"decoder.blocks.{i}"
        _norm(out, v, f"{src}/self_attention/layer_norm", f"{dst}.attn_ln")
        _split_fused(out, v, f"{src}/self_attention/linear_0",
                     (f"{dst}.attn.query", f"{dst}.attn.key", f"{dst}.attn.value"), source_name)
        _linear(out, v, f"{src}/self_attention/linear_1", f"{dst}.attn.out")
        _norm(out, v, f"{src}/attention/layer_norm", f"{dst}.cross_attn_ln")
        _linear(out, v, f"{src}/attention/linear_0", f"{dst}.cross_attn.query")
        _split_fused(out, v, f"{src}/attention/linear_1",
                     (f"{dst}.cross_attn.key", f"{dst}.cross_attn.value"), source_name)
        _linear(out, v, f"{src}/attention/linear_2", f"{dst}.cross_attn.out")
        _norm(out, v, f"{src}/ffn/layer_norm", f"{dst}.mlp_ln")
        _linear(out, v, f"{src}/ffn/linear_0", f"{dst}.mlp.0")
        _linear(out, v, f"{src}/ffn/linear_1", f"{dst}.mlp.2")
    _norm(out, v, "decoder/layer_norm", "decoder.ln")

    # Whisper ties its output projection to the token embedding; the export stores it as an alias
    # (or, in older exports, as a copy): either way it must equal the embedding, and is dropped.
    projection = v.get("decoder/projection/weight")
    if projection is not None and not np.array_equal(projection, embedding):
        raise ModelError(f"{source_name}: output projection is not tied to the token embedding")
    target = model.aliases.get("decoder/projection/weight")
    if target is not None and target != "decoder/embeddings/weight":
        raise ModelError(f"{source_name}: unexpected alias decoder/projection/weight -> {target}")
    return {"dims": asdict(dims), "model_state_dict": out}
