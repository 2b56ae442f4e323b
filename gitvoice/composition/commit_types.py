"""The one source of truth for commit types, shared by the composer and the commit-msg validator."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommitType:
    name: str  # the word before the colon: "feat", "fix"
    description: str  # one line for help texts and docs
    cues: tuple[str, ...] = ()  # spoken words that suggest it ("fix", "speed up"), lowercase, whole words


# The Angular set that commitlint's config-conventional and commitizen both use.
DEFAULT_TYPES: tuple[CommitType, ...] = (
    CommitType("feat", "A new feature",
               ("add", "adds", "added", "adding", "introduce", "introduces", "introduced", "implement",
                "implements", "implemented", "support", "supports", "allow", "allows", "enable", "enables",
                "new feature", "create", "creates")),
    CommitType("fix", "A bug fix",
               ("fix", "fixes", "fixed", "fixing", "bug", "bugfix", "crash", "crashes", "guard against",
                "handle the case", "prevent", "prevents", "correct", "corrects", "resolve", "resolves",
                "workaround", "broken", "panic", "panics", "panicking", "regression", "race condition",
                "closes issue", "fixes issue")),
    CommitType("docs", "Documentation only changes",
               ("document", "documents", "documented", "documentation", "docs", "readme", "docstring",
                "docstrings", "typo in the docs")),
    CommitType("style", "Changes that do not affect the meaning of the code (white-space, formatting)",
               ("format", "formatting", "reformat", "reformatted", "whitespace", "white space", "lint",
                "linting", "code style")),
    CommitType("refactor", "A code change that neither fixes a bug nor adds a feature",
               ("refactor", "refactors", "refactored", "refactoring", "rename", "renames", "renamed",
                "renaming", "move", "moves", "moved", "extract", "extracts", "extracted", "simplify",
                "simplifies", "simplified", "clean up", "cleans up", "cleaned up", "restructure",
                "reorganize", "split")),
    CommitType("perf", "A code change that improves performance",
               ("speed up", "speeds up", "sped up", "faster", "performance", "optimize", "optimizes",
                "optimized", "optimise", "optimised", "quicker", "cache", "caches", "latency")),
    CommitType("test", "Adding missing tests or correcting existing tests",
               ("test", "tests", "testing", "unit test", "unit tests", "test case", "test cases", "coverage")),
    CommitType("build", "Changes that affect the build system or external dependencies",
               ("build", "dependency", "dependencies", "bump", "bumps", "bumped", "upgrade", "upgrades",
                "upgraded", "pin", "pins", "pinned", "packaging")),
    CommitType("ci", "Changes to CI configuration files and scripts",
               ("ci", "continuous integration", "pipeline", "workflow", "workflows", "github actions")),
    CommitType("chore", "Other changes that don't modify src or test files",
               ("chore", "housekeeping", "tidy")),
    CommitType("revert", "Reverts a previous commit",
               ("revert", "reverts", "reverted", "reverting", "roll back", "rolls back", "undo")),
)


def type_names(types: tuple[CommitType, ...] = DEFAULT_TYPES) -> tuple[str, ...]:
    return tuple(t.name for t in types)


def types_from_names(names: tuple[str, ...] | list[str]) -> tuple[CommitType, ...]:
    """CommitTypes for declared names, keeping our description and cues for the names we know."""
    known = {t.name: t for t in DEFAULT_TYPES}
    result: list[CommitType] = []
    for name in names:
        name = name.strip()
        if name and name not in {t.name for t in result}:
            result.append(known.get(name, CommitType(name, name)))
    return tuple(result)
