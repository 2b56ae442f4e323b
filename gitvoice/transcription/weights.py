"""Converted-weight cache: convert a CTranslate2 export once, then load it verified on every run.

Each cache entry is `<name>-<source sha256[:16]>.pt` (openai-whisper's checkpoint form) beside a
`.json` that records the sha256 of the source model.bin and of the checkpoint. The JSON is written
last, so a half-written checkpoint is never taken for a good one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from gitvoice.core.atomic import write_atomically
from gitvoice.core.errors import ModelError
from gitvoice.core.paths import user_cache_dir
from gitvoice.transcription.convert import convert_ct2_whisper
from gitvoice.transcription.ct2_format import read_ct2_model
from gitvoice.transcription.models import ModelSource
from gitvoice.transcription.torch_runtime import torch_module

log = logging.getLogger("gitvoice")

CACHE_FORMAT = 1  # bump when the converted layout changes


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def cache_paths(source: ModelSource, source_sha256: str) -> tuple[Path, Path]:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(source.name).name)
    stem = f"{slug}-{source_sha256[:16]}"
    folder = user_cache_dir() / "models"
    return folder / f"{stem}.pt", folder / f"{stem}.json"


def source_sha256(source: ModelSource) -> str:
    digest = hashlib.sha256()
    for part in source.files:
        with part.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class CacheCheck:
    """What hashing found (no torch needed: it runs beside torch's import, see verified_ahead)."""

    source_sha256: str
    checkpoint: Path
    record: Path
    intact: bool  # the record names this source, and the checkpoint has the digest it recorded
    present: bool  # there is a record or a checkpoint: a rebuild is worth a warning


def check_cache(source: ModelSource) -> CacheCheck:
    """Hash the source model and its cached checkpoint. OSError when the source cannot be read."""
    digest = source_sha256(source)
    checkpoint, record = cache_paths(source, digest)
    present = record.exists() or checkpoint.exists()
    try:
        meta = json.loads(record.read_text())
        intact = (meta.get("format") == CACHE_FORMAT and meta.get("source_sha256") == digest
                  and _sha256_file(checkpoint) == meta.get("checkpoint_sha256"))
    except (OSError, ValueError, AttributeError):  # missing, unreadable or not a JSON object: rebuild it
        intact = False
    return CacheCheck(digest, checkpoint, record, intact, present)


def verified_ahead(source: ModelSource) -> Future[CacheCheck] | None:
    """check_cache(source) started in a thread, for load_checkpoint to take: reading and hashing the ~230 MB of
    tiny.en's files (0.2 s) then happens while torch imports, which keeps one core and the GIL busy but not the
    disk or the other core. None for a whisper checkpoint (nothing is hashed)."""
    if source.kind == "whisper-pt":
        return None
    worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gitvoice-verify")
    ahead = worker.submit(check_cache, source)
    worker.shutdown(wait=False)  # the thread ends with its one job
    return ahead


def _cached_checkpoint(check: CacheCheck) -> dict[str, Any] | None:
    """The cached checkpoint if it is intact and made from this source, else None."""
    if not check.intact:
        return None
    try:
        loaded = torch_module().load(check.checkpoint, map_location="cpu", weights_only=True)
    except Exception:  # unreadable, truncated, or a pickle weights_only refuses: rebuild it
        return None
    if not isinstance(loaded, dict) or "dims" not in loaded or "model_state_dict" not in loaded:
        return None
    return loaded


def _convert_and_cache(
    source: ModelSource, source_sha256: str, checkpoint: Path, record: Path
) -> dict[str, Any]:
    torch = torch_module()
    raw = source.read_model_bin()
    converted = convert_ct2_whisper(read_ct2_model(raw, source.name), source.name)
    state = {k: torch.from_numpy(np.ascontiguousarray(a)) for k, a in converted["model_state_dict"].items()}
    result: dict[str, Any] = {
        "dims": converted["dims"],
        "model_state_dict": state,
        "alignment_heads": source.alignment_heads(),
    }
    write_atomically(checkpoint, lambda handle: torch.save(result, handle))
    meta = {
        "format": CACHE_FORMAT,
        "model": source.name,
        "source_files": [str(p) for p in source.files],
        "source_sha256": source_sha256,
        "checkpoint_sha256": _sha256_file(checkpoint),
    }
    write_atomically(record, lambda handle: handle.write(json.dumps(meta, indent=2).encode()))
    return result


def load_checkpoint(source: ModelSource, ahead: Future[CacheCheck] | None = None) -> tuple[dict[str, Any], Path]:
    """Return the whisper checkpoint for `source` (converting and caching on first use) and its path; `ahead` is
    verified_ahead(source), when the hashing was started earlier."""
    if source.kind == "whisper-pt":
        path = source.files[0]
        try:
            loaded: dict[str, Any] = torch_module().load(path, map_location="cpu", weights_only=True)
        except Exception as exc:
            raise ModelError(
                f"{path}: not a loadable openai-whisper checkpoint ({exc.__class__.__name__})",
                hint="give a .pt file written by openai-whisper",
            ) from exc
        if "dims" not in loaded or "model_state_dict" not in loaded:
            raise ModelError(f"{path}: not an openai-whisper checkpoint (no dims/model_state_dict)")
        return loaded, path
    try:
        check = ahead.result() if ahead is not None else check_cache(source)
    except OSError as exc:
        raise ModelError(f"cannot read model {source.name}: {exc}") from exc
    if check.present:
        cached = _cached_checkpoint(check)
        if cached is not None:
            return cached, check.checkpoint
        log.warning(f"model cache {check.checkpoint} is damaged or stale; rebuilding it")
    try:
        return _convert_and_cache(source, check.source_sha256, check.checkpoint, check.record), check.checkpoint
    except OSError as exc:
        raise ModelError(
            f"cannot write the model cache in {check.checkpoint.parent}: {exc.strerror}",
            hint="set GITVOICE_CACHE_DIR to a writable folder",
        ) from exc
