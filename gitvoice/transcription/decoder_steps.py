"""Whisper's decoder steps on the CPU, reading fewer bytes: the same tokens, sooner.

A decode step runs one position per hypothesis through the decoder. For tiny.en that is a few thousand
multiply-adds per weight read, so the step is bound by memory, not arithmetic: it reads every weight once, and the
vocabulary projection (51,864 x 384 float32, 80 MB) is most of what it reads. Profiled on 2 cores, a step of
the plain decode took 13 ms, 4 of them in that projection.

A step's logits here come in two passes:
- every text token's logit from an int8 copy of the token embedding (one scale per token, float32 rows kept
  for the second pass), read as a quarter of the bytes: approximate, within about 1 logit of the exact value;
- the exact float32 logit for the `REFINED` text tokens that pass ranks highest, and for every token after the
  text ones (end of text, the special tokens, the timestamps), which decide when a segment or the decode ends.

Only greedy steps (one hypothesis, one position) are computed this way. Greedy search picks the highest logit,
which is exact (on 306 steps of real decodes the exact best token was always among the two best approximate
ones), and whisper's timestamp rule compares timestamps with the best text token of the same step, all exact;
only the softmax's normaliser takes the approximate rest, whose share of probability is small (a decode's
average log-probability moves by about 1e-3). Beam search compares sums of log-probabilities across
hypotheses, whose normalisers that shifts: one corpus clip of four came out differently, so it keeps whisper's
projection, as does any call that runs several positions (a prompt, rescoring's sentences), where a matrix
product keeps the arithmetic busy and int8 gains nothing.

On 78 greedy decodes (the understanding corpus, the human clips, a 30 s note) the tokens were whisper's and
the decoding 14% faster. The decoder blocks' Linear layers in int8 the same way made it 30% faster but changed
16 of the 78 ("Nash-Nash-Out foot" became a loop, "issue 203" "See you tomorrow, free"): they stay float32.
"""

from __future__ import annotations

import functools
import logging
import threading
from typing import Any

log = logging.getLogger("gitvoice")

REFINED = 64  # text tokens whose logits are computed exactly after the int8 pass


def int8_rows(weight: Any) -> tuple[Any, Any]:
    """`weight` (rows, columns) as int8 rows and one bfloat16 scale per row (absmax / 127)."""
    import torch

    rows = weight.detach().float()
    scale = rows.abs().amax(dim=1).clamp(min=1e-12) / 127
    quantized = torch.round(rows / scale[:, None]).clamp(-127, 127).to(torch.int8).contiguous()
    return quantized, scale.to(torch.bfloat16)


def int8_product(x: Any, quantized: Any, scale: Any) -> Any:
    """x (rows, columns) times the int8 rows transposed: (rows, len(quantized)), float32."""
    import torch

    return torch._weight_int8pack_mm(x.to(torch.bfloat16), quantized, scale).float()


def step_logits(x: Any, weight: Any, quantized: Any, scale: Any, text_tokens: int) -> Any:
    """Logits of one decode step: `x` (rows, n_state) against the token embedding `weight` (n_vocab, n_state),
    the first `text_tokens` of which are text (`quantized`, `scale`: those rows in int8). Exact for every token
    past the text ones and for the text tokens the int8 pass ranks highest; approximate for the other text
    tokens."""
    import torch

    text = int8_product(x, quantized, scale)
    best = text.topk(min(REFINED, text_tokens), dim=-1).indices
    text.scatter_(1, best, torch.einsum("rd,rkd->rk", x, weight[best]))
    return torch.cat([text, x @ weight[text_tokens:].T], dim=1)


def int8_supported() -> bool:
    """Whether this torch computes int8 row products on the CPU, and right (the operator is torch's own, used by
    its int8 inference libraries, but not public API)."""
    import torch

    try:
        generator = torch.Generator().manual_seed(0)
        weight = torch.randn(64, 32, generator=generator)
        x = torch.randn(2, 32, generator=generator)
        approximate = int8_product(x, *int8_rows(weight))
    except Exception as error:  # a private operator: missing, or refusing this CPU, in some builds
        log.info("int8 row products unavailable in this torch: %s", error)
        return False
    return bool(torch.allclose(approximate, x @ weight.T, atol=0.25))


class Int8Table:
    """The text tokens' int8 rows, made in a thread of their own: 0.12 s for tiny.en on 2 cores, spent while the
    audio is read, cut and encoded instead of before (a decode's first step waits for them if it must)."""

    def __init__(self, weight: Any, text_tokens: int) -> None:
        self._rows: tuple[Any, Any] | None = None
        self._weight = weight.detach()  # these values, even after the model's tensors move (`model.to`)
        self._text_tokens = text_tokens
        self._done = threading.Event()
        threading.Thread(target=self._make, name="gitvoice-int8-rows").start()

    def _make(self) -> None:
        try:
            self._rows = int8_rows(self._weight[: self._text_tokens])
        except Exception as error:  # out of memory, say: whisper's projection still works
            log.info("no int8 rows for the decoder steps: %s", error)
        finally:
            self._done.set()

    def rows_of(self, weight: Any) -> tuple[Any, Any] | None:
        """(int8 rows, scales) of `weight`, the decoder's token embedding; None where making them failed or the
        weight is no longer the one they were made of (moved or cast): the step then runs whisper's projection."""
        if weight.data_ptr() != self._weight.data_ptr() or weight.dtype != self._weight.dtype:
            return None
        self._done.wait()
        return self._rows

    def __deepcopy__(self, memo: dict[int, Any]) -> Int8Table:
        return self  # the decoder's twin (decoding.decoder_twin) shares the table


def install(model: Any, text_tokens: int) -> bool:
    """Make `model`'s decoder (float32, on the CPU) compute its steps' logits as above; `text_tokens` is the
    tokenizer's end-of-text id (every id before it is text). False, and the model left as it was, where this
    torch cannot."""
    decoder = model.decoder
    if isinstance(decoder, step_decoder_class()):
        return True
    if not int8_supported():
        return False
    decoder.step_table = Int8Table(decoder.token_embedding.weight, text_tokens)
    decoder.text_tokens = text_tokens
    decoder.__class__ = step_decoder_class()
    return True


@functools.cache
def step_decoder_class() -> type:
    """whisper's TextDecoder, with a step's logits from `step_logits` (made on first use: whisper is imported
    with the model, not with this module)."""
    from whisper.model import TextDecoder

    class StepDecoder(TextDecoder):  # type: ignore[misc]  # whisper is untyped
        step_table: Int8Table
        text_tokens: int

        def forward(self, x: Any, xa: Any, kv_cache: dict[Any, Any] | None = None) -> Any:
            batch, width = x.shape
            weight = self.token_embedding.weight
            table = self.step_table.rows_of(weight) if batch == width == 1 else None
            if table is None or xa.dtype != weight.dtype:
                return super().forward(x, xa, kv_cache)
            offset = next(iter(kv_cache.values())).shape[1] if kv_cache else 0
            h = self.token_embedding(x) + self.positional_embedding[offset : offset + width]
            for block in self.blocks:
                h = block(h, xa, mask=self.mask, kv_cache=kv_cache)
            h = self.ln(h).reshape(batch * width, -1)
            return step_logits(h, weight, *table, self.text_tokens).view(batch, width, -1)

    return StepDecoder
