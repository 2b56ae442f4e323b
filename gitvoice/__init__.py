"""gitvoice: say why a change was made; get a clean, reviewable Git record."""

from __future__ import annotations

import os

__version__ = "0.1.0"

# Must be set before torch is first imported anywhere: ops that Apple's MPS backend lacks
# then run on the CPU instead of raising NotImplementedError.
os.environ.setdefault("PYTORCH_ENABLE_MPS_FALLBACK", "1")
