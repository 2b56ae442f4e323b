"""Write CTranslate2 model.bin files for tests (the format gitvoice reads), from named arrays."""

from __future__ import annotations

import struct

import numpy as np

_DTYPE_IDS = {np.dtype("float32"): 0, np.dtype("int8"): 1, np.dtype("int16"): 2, np.dtype("int32"): 3,
              np.dtype("float16"): 4}


def _string(text: str) -> bytes:
    raw = text.encode() + b"\0"
    return struct.pack("<H", len(raw)) + raw


def ct2_model_bytes(variables: dict[str, np.ndarray], aliases: dict[str, str] | None = None,
                    spec: str = "WhisperSpec", version: int = 6) -> bytes:
    out = [struct.pack("<I", version), _string(spec), struct.pack("<I", 3), struct.pack("<I", len(variables))]
    for name, array in variables.items():
        array = np.array(array, order="C")  # ascontiguousarray would turn scalars into 1-d arrays
        out.append(_string(name))
        out.append(struct.pack("<B", array.ndim))
        out += [struct.pack("<I", dim) for dim in array.shape]
        out.append(struct.pack("<B", _DTYPE_IDS[array.dtype]))
        out.append(struct.pack("<I", array.nbytes))
        out.append(array.tobytes())
    aliases = aliases or {}
    out.append(struct.pack("<I", len(aliases)))
    for alias, target in aliases.items():
        out += [_string(alias), _string(target)]
    return b"".join(out)
