"""What a contributor needs: the licence, CONTRIBUTING.md and the GitHub issue forms.

PyYAML is not a dependency, so the issue forms are read with a small parser for the subset they use
(top-level keys, and the `- type:` items of `body`)."""

from __future__ import annotations

import re
import tomllib

import pytest

from conftest import ROOT

FORMS = sorted((ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))
ISSUE_FORMS = [p for p in FORMS if p.name != "config.yml"]


def top_level(text: str) -> dict[str, str]:
    """Top-level `key: value` pairs (value empty for a block)."""
    return {m[1]: m[2].strip() for m in re.finditer(r"^([a-z_]+):(.*)$", text, re.M)}


def body_items(text: str) -> list[str]:
    """The text of each `- type:` item under `body:`."""
    body = text.split("\nbody:\n", 1)[1]
    return [item for item in re.split(r"^  - (?=type:)", body, flags=re.M)[1:]]


def test_there_are_the_three_forms():
    names = {top_level(p.read_text(encoding="utf-8"))["name"] for p in ISSUE_FORMS}
    assert names == {"A fact is wrong", "A carrier page is not detected", "Add a carrier"}


@pytest.mark.parametrize("path", ISSUE_FORMS, ids=[p.stem for p in ISSUE_FORMS])
def test_each_issue_form_has_name_description_and_body(path):
    text = path.read_text(encoding="utf-8")
    assert "\t" not in text
    keys = top_level(text)
    assert keys.get("name") and keys.get("description") and "body" in keys
    items = body_items(text)
    assert items
    ids = []
    for item in items:
        kind = re.match(r"type: (\w+)", item)[1]
        assert kind in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert re.search(r"^    attributes:$", item, re.M)
        if kind != "markdown":
            ids.append(re.search(r"^    id: ([a-z-]+)$", item, re.M)[1])
            assert re.search(r"^      label: \S", item, re.M)
    assert len(ids) == len(set(ids))


def test_the_wrong_fact_form_asks_for_what_a_reviewer_checks():
    text = (ROOT / ".github" / "ISSUE_TEMPLATE" / "wrong-fact.yml").read_text(encoding="utf-8")
    ids = re.findall(r"^    id: ([a-z-]+)$", text, re.M)
    assert ids == ["carrier", "fact", "current", "official", "url", "date-read"]


def test_the_licence_matches_pyproject():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert meta["license"] == "MIT" and licence.startswith("MIT License\n")
    assert "simexit contributors" in licence


def test_contributing_names_the_checks_and_the_source_rules():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for needed in ("make test", "make docs", "make snapshots", "docs/data.md", "simexit new-carrier"):
        assert needed in text
