"""int8 weights on the CPU: the loaded model's Linear layers quantized dynamically (voice.cpuWeights=int8).

`torch.ao.quantization.quantize_dynamic` replaces each Linear with one whose weights are int8, one scale per output
channel, and whose input is quantized on every call (fbgemm on x86, qnnpack on ARM); the convolutions, layer norms
and the output projection (a matmul with the token embedding) stay float32. It is done after loading, every time:
the converted-weight cache keeps the published weights, so either choice uses the same cache.

On the shared human clips it is about 1.4x faster than float32 with the same word error rate (one scale per tensor,
the first measurement, was 1.3x and lost digits). It is not the default: on espeak-ng's voices it hears some
first words differently ("Rename" as "We'll then" in the doctor's own sample), see docs/benchmarks.md.
"""

from __future__ import annotations

import warnings
from typing import Any

# fbgemm is x86's engine (AVX2), qnnpack ARM's; a torch built with neither leaves the model float32.
QUANTIZED_ENGINES = ("fbgemm", "qnnpack")


def quantized_engine() -> str | None:
    """The quantized engine this torch offers for this CPU, or None."""
    import torch

    supported = torch.backends.quantized.supported_engines
    return next((name for name in QUANTIZED_ENGINES if name in supported), None)


def _plain_linears(module: Any) -> int:
    """Swap whisper's Linear (a subclass that casts its weights to the input's dtype) for torch's own, sharing the
    parameters: quantize_dynamic converts only modules whose type is exactly torch.nn.Linear."""
    import torch

    swapped = 0
    for name, child in module.named_children():
        if isinstance(child, torch.nn.Linear) and type(child) is not torch.nn.Linear:
            plain = torch.nn.utils.skip_init(  # type: ignore[no-untyped-call]
                torch.nn.Linear, child.in_features, child.out_features, bias=child.bias is not None)
            plain.weight = child.weight
            plain.bias = child.bias
            setattr(module, name, plain)
            swapped += 1
        else:
            swapped += _plain_linears(child)
    return swapped


def quantize_linear_layers(model: Any) -> int:
    """Quantize `model`'s Linear layers to int8 in place (a float32 model on the CPU); the number of layers.
    0 when this torch has no quantized engine here: the model is left as it was."""
    import torch

    engine = quantized_engine()
    if engine is None:
        return 0
    torch.backends.quantized.engine = engine
    count = _plain_linears(model)
    with warnings.catch_warnings():
        # torch announces that eager-mode quantization moves to torchao (not installed here) and that quantized
        # tensor types will go; both still work in this torch, and tests/transcription checks they do.
        warnings.filterwarnings("ignore", r".*torch\.ao\.quantization is deprecated", DeprecationWarning)
        warnings.filterwarnings("ignore", r".*quantize_per_tensor.*deprecated", UserWarning)
        # One scale per output channel: per tensor, the weights' outliers coarsened the rest (the digit clip lost
        # two zeros) and it was no faster.
        qconfig = torch.ao.quantization.per_channel_dynamic_qconfig
        torch.ao.quantization.quantize_dynamic(  # type: ignore[no-untyped-call]
            model, {torch.nn.Linear: qconfig}, dtype=torch.qint8, inplace=True)
    return count


def is_quantized(model: Any) -> bool:
    """Whether any layer of `model` holds dynamically quantized int8 weights."""
    import torch

    return any(isinstance(m, torch.ao.nn.quantized.dynamic.Linear) for m in model.modules())
