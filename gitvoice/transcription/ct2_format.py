"""Reader for CTranslate2's `model.bin` (binary version 6): named arrays, config scalars and aliases.

Layout, little-endian: uint32 version | string spec_name | uint32 revision | uint32 n_vars |
n_vars x {string name | uint8 rank | rank x uint32 dim | uint8 dtype_id | uint32 nbytes | bytes} |
uint32 n_aliases | n_aliases x {string alias | string target}.
A string is a uint16 length that counts a trailing NUL, then the UTF-8 bytes and the NUL.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np

from gitvoice.core.errors import ModelError

SUPPORTED_BINARY_VERSION = 6
# dtype ids index this tuple; bfloat16 has no numpy type and is read as raw uint16 bits.
_DTYPES: tuple[np.dtype[np.generic], ...] = (
    np.dtype("<f4"),
    np.dtype("i1"),
    np.dtype("<i2"),
    np.dtype("<i4"),
    np.dtype("<f2"),
    np.dtype("<u2"),
)
_BFLOAT16_ID = 5


@dataclass(frozen=True)
class Ct2Model:
    spec_name: str  # "WhisperSpec" for Whisper exports
    revision: int
    variables: dict[str, np.ndarray]  # arrays by CTranslate2 name; rank-0 arrays are config scalars
    aliases: dict[str, str]  # alias name -> target variable name (tied weights)


class _Cursor:
    def __init__(self, data: memoryview, source: str) -> None:
        self.data = data
        self.offset = 0
        self.source = source

    def take(self, size: int) -> memoryview:
        if self.offset + size > len(self.data):
            raise ModelError(
                f"{self.source}: truncated CTranslate2 model (wanted {size} bytes at {self.offset})",
                hint="reinstall the package that provides this model",
            )
        chunk = self.data[self.offset : self.offset + size]
        self.offset += size
        return chunk

    def unpack(self, fmt: str) -> int:
        (value,) = struct.unpack(fmt, self.take(struct.calcsize(fmt)))
        return int(value)

    def string(self) -> str:
        length = self.unpack("<H")
        raw = bytes(self.take(length))
        return raw.rstrip(b"\0").decode("utf-8")


def read_ct2_model(raw_model: bytes, source: str) -> Ct2Model:
    """Parse the bytes of a `model.bin` (named `source` in errors) into arrays and aliases."""
    data = memoryview(raw_model)
    model_bin = source
    cursor = _Cursor(data, source)
    version = cursor.unpack("<I")
    if version != SUPPORTED_BINARY_VERSION:
        raise ModelError(
            f"{model_bin}: CTranslate2 binary version {version} is not supported "
            f"(expected {SUPPORTED_BINARY_VERSION})",
            hint="use a model exported by CTranslate2 4.x",
        )
    spec_name = cursor.string()
    revision = cursor.unpack("<I")
    variables: dict[str, np.ndarray] = {}
    for _ in range(cursor.unpack("<I")):
        name = cursor.string()
        rank = cursor.unpack("<B")
        shape = tuple(cursor.unpack("<I") for _ in range(rank))
        dtype_id = cursor.unpack("<B")
        nbytes = cursor.unpack("<I")
        if dtype_id >= len(_DTYPES):
            raise ModelError(f"{model_bin}: unknown dtype id {dtype_id} for {name}")
        raw = cursor.take(nbytes)
        array = np.frombuffer(raw, dtype=_DTYPES[dtype_id]).reshape(shape).copy()
        if dtype_id == _BFLOAT16_ID:
            # bfloat16 is the upper half of a float32.
            array = (array.astype(np.uint32) << 16).view(np.float32)
        variables[name] = array
    aliases: dict[str, str] = {}
    if cursor.offset < len(data):
        for _ in range(cursor.unpack("<I")):
            alias = cursor.string()
            aliases[alias] = cursor.string()
    return Ct2Model(spec_name=spec_name, revision=revision, variables=variables, aliases=aliases)
