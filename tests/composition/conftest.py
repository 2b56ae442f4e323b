"""The commit-message corpus shared by the rule-engine tests (tests/composition/data/messages.jsonl, written by
tests/composition/data/make_messages.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


def load_corpus() -> list[dict[str, str]]:
    # split("\n"), not splitlines(): messages hold characters that splitlines() treats as line breaks.
    text = (DATA / "messages.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.split("\n") if line]


@pytest.fixture(scope="session")
def corpus() -> list[dict[str, str]]:
    return load_corpus()
