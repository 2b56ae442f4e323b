"""Which names of a staged diff become vocabulary: what the speaker will name must be there."""

from __future__ import annotations

from gitvoice.composition.changes import DiffContext
from gitvoice.composition.identifiers import diff_identifiers


def identifiers_of(diff_text: str) -> list[str]:
    return diff_identifiers(DiffContext(files=(), diff_text=diff_text))


def test_command_line_flags_the_change_adds_are_vocabulary() -> None:
    words = identifiers_of(
        "diff --git a/cli.py b/cli.py\n"
        "@@ -1,2 +1,3 @@\n"
        '+    parser.add_argument("--legacy-format", action="store_true")\n'
        '+@click.option("--json", "as_json", is_flag=True)\n'
        "+    total = a--b\n")
    assert "--legacy-format" in words and "--json" in words
    assert not any(word.startswith("--b") or word == "--" for word in words)


def test_a_definition_under_a_changed_attribute_is_vocabulary() -> None:
    words = identifiers_of(
        "diff --git a/src/config.rs b/src/config.rs\n"
        "@@ -8,5 +8,5 @@ use std::path::PathBuf;\n"
        " \n"
        "-#[derive(Debug, Default)]\n"
        "+#[derive(Debug, Default, Clone)]\n"
        " pub struct ConfigBuilder {\n"
        "     root: Option<PathBuf>,\n")
    assert "ConfigBuilder" in words


def test_a_definition_far_below_the_change_is_not_promoted() -> None:
    words = identifiers_of(
        "diff --git a/a.py b/a.py\n"
        "@@ -1,9 +1,9 @@\n"
        "-X = 1\n"
        "+X = 2\n"
        " \n"
        " \n"
        " \n"
        " def unrelated_helper():\n")
    assert "unrelated_helper" not in words


def test_names_in_the_changed_function_signature_are_vocabulary() -> None:
    words = identifiers_of(
        "diff --git a/app/config.py b/app/config.py\n"
        "@@ -9,2 +9,3 @@\n"
        ' def load_settings(path: Path = Path("settings.toml")) -> Settings:\n'
        '-    return Settings(database_url=os.environ["DATABASE_URL"])\n'
        "+    data = tomllib.loads(path.read_text())\n")
    assert {"load_settings", "settings.toml", "DATABASE_URL"} <= set(words)


def test_a_module_named_like_code_is_vocabulary_by_its_stem() -> None:
    words = identifiers_of("diff --git a/src/hooks/useFetch.js b/src/hooks/useFetch.js\n@@ -1 +1 @@\n-a\n+b\n"
                           "diff --git a/api/users.py b/api/users.py\n@@ -1 +1 @@\n-a\n+b\n")
    assert "useFetch" in words and "useFetch.js" in words
    assert "users" not in words  # a plain word stays out


def test_names_next_to_the_change_are_vocabulary_after_the_changed_ones() -> None:
    words = identifiers_of(
        "diff --git a/src/stats.js b/src/stats.js\n"
        "@@ -4,4 +4,5 @@\n"
        " const scale = sizeOf(values);\n"
        " export function peak(values) {\n"
        "+  if (values.length === 0) return null;\n"
        "   return Math.max(...values);\n"
        " }\n"
        " \n"
        " const farAway = helperBelow(values);\n")
    assert "Math.max" in words  # the call the new guard protects, which its explanation names
    assert words.index("values.length") < words.index("Math.max")
    assert "sizeOf" not in words and "helperBelow" not in words  # two lines away: not the change's


def test_issues_a_changed_comment_names_are_vocabulary() -> None:
    words = identifiers_of(
        "diff --git a/shop/checkout.py b/shop/checkout.py\n"
        "@@ -15,1 +15,4 @@ def checkout(cart):\n"
        "+    # An empty cart used to reach the payment provider (#42).\n"
        "-    rows = cached_query(EXPORT_SQL, day)  # #118\n"
        '+    """Regression test for #311."""\n'
        "+    {/* #7: a second click */}\n")
    assert {"#42", "#118", "#311", "#7"} <= set(words)


def test_a_number_after_a_hash_outside_a_comment_is_no_issue() -> None:
    words = identifiers_of(
        "diff --git a/web/site.css b/web/site.css\n"
        "@@ -1,1 +1,3 @@\n"
        "+  color: #333;\n"
        '+  theme = {"accent": "#1024"}\n'
        "+  x = y  # see #5a and #0\n")
    assert not any(word.startswith("#") for word in words)
