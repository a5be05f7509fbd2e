"""One schema, generated everywhere: JSON Schema, the tables of docs/data.md, the carrier list, the
`#:schema` line of every carrier file, and the skeleton of `simexit new-carrier`."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date

import pytest
from pydantic import ValidationError

from simexit import schema
from simexit.catalog import COMMON_FILE, carrier_ids, load_dir, load_file
from simexit.cli import main
from simexit.models import Carrier, Common, Trap

from conftest import CARRIER_DIR, CARRIER_FILES, ROOT


def test_the_generated_files_are_up_to_date():
    """schema/*.json and the generated blocks of docs/data.md: run `make schema` after a model change."""
    assert schema.stale(ROOT) == [], "stale: run `make schema` (or `make docs`) and commit the result"


def test_the_json_schemas_are_the_models():
    committed = json.loads((ROOT / "schema" / "carrier.schema.json").read_text(encoding="utf-8"))
    assert committed["properties"].keys() == Carrier.model_json_schema()["properties"].keys()
    assert committed["additionalProperties"] is False
    common = json.loads((ROOT / "schema" / "common.schema.json").read_text(encoding="utf-8"))
    assert common["properties"].keys() == Common.model_json_schema()["properties"].keys()


def test_the_docs_list_every_carrier_file_and_field():
    doc = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for cid in carrier_ids():
        assert f"| `{cid}` |" in doc
    for key, *_ in schema.field_rows(Carrier):
        assert f"| `{key}` |" in doc


def test_a_stale_block_is_rewritten_between_its_markers():
    begin, end = schema._markers("carriers")
    text = f"before\n{begin}\nold\n{end}\nafter\n"
    out = schema.fill(text, "carriers", "new")
    assert out == f"before\n{begin}\nnew\n{end}\nafter\n"
    with pytest.raises(ValueError, match="markers"):
        schema.fill("no markers", "carriers", "new")


@pytest.mark.parametrize("path", CARRIER_FILES, ids=[p.stem for p in CARRIER_FILES])
def test_every_carrier_file_names_its_schema_first(path):
    assert path.read_text(encoding="utf-8").splitlines()[0] == schema.CARRIER_SCHEMA_LINE


def test_the_common_file_names_its_schema_first():
    first = (CARRIER_DIR / COMMON_FILE).read_text(encoding="utf-8").splitlines()[0]
    assert first == schema.COMMON_SCHEMA_LINE


def test_the_schema_lines_point_at_files_that_exist():
    for line in (schema.CARRIER_SCHEMA_LINE, schema.COMMON_SCHEMA_LINE):
        assert (CARRIER_DIR / line.removeprefix("#:schema ")).resolve().is_file()


def test_trap_kinds_are_kebab_case(catalog):
    kinds = [t.kind for c in catalog.carriers.values() for p in c.plans.values() for t in p.traps]
    assert kinds and all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", k) for k in kinds)
    text = {"en": "x", "zh": "x"}
    for bad in ("snake_case", "Upper", "-lead", "trail-", "two--dashes"):
        with pytest.raises(ValidationError):
            Trap(kind=bad, text=text, sources=["s"])
    assert Trap(kind="lapse-loses-number", text=text, sources=["s"]).kind == "lapse-loses-number"


# ---------------------------------------------------------------- simexit new-carrier


@pytest.fixture
def data(tmp_path):
    for path in CARRIER_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def test_new_carrier_writes_a_skeleton_that_loads_and_check_names_what_is_missing(data, capsys):
    assert main(["--data", str(data), "new-carrier", "newco", "--plan", "prepaid", "--plan", "postpaid"]) == 0
    out = capsys.readouterr().out
    assert "REVIEWED_DOMAINS" in out and "make snapshots" in out
    path = data / "newco.toml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == schema.CARRIER_SCHEMA_LINE
    assert "# [[pages]]" in text and "example = " in text  # the page-example placeholder
    carrier = load_file(path)
    assert carrier.id == "newco" and list(carrier.plans) == ["prepaid", "postpaid"]
    assert "newco" in carrier_ids(data) and "newco" in load_dir(data).carriers
    # every fact is unknown
    from simexit.models import iter_facts

    assert not any(fact.known() for _, fact in iter_facts(carrier))
    # every field of the model is in the file (set, or shown in a comment)
    for key, *_ in schema.field_rows(Carrier):
        assert re.search(rf"\b{re.escape(key.rsplit('.', 1)[-1].removesuffix('[]'))}\b", text), key

    assert main(["--data", str(data), "check", "--only", "newco"]) == 1
    captured = capsys.readouterr()
    assert "3 source-rule problem(s)" in captured.out
    assert "(rule: reviewed-domain)" in captured.err
    assert "domains.0: newco.example is a placeholder" in captured.err
    assert "sources.newco-todo: www.newco.example is a placeholder" in captured.err


def test_new_carrier_refuses_to_overwrite(data, capsys):
    before = (data / "tmobile.toml").read_bytes()
    assert main(["--data", str(data), "new-carrier", "tmobile"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (data / "tmobile.toml").read_bytes() == before


@pytest.mark.parametrize("bad", ["New Co", "_common", "../evil", "x.y", "UPPER", ""])
def test_new_carrier_refuses_a_bad_id(data, capsys, bad):
    assert main(["--data", str(data), "new-carrier", bad]) == 2
    assert "is not a carrier id" in capsys.readouterr().err
    assert sorted(p.name for p in data.iterdir()) == sorted(p.name for p in CARRIER_DIR.glob("*.toml"))


def test_the_skeleton_is_dated_and_each_plan_type_once():
    text = schema.skeleton("newco", date(2026, 1, 2), ["postpaid"])
    assert "checked = 2026-01-02" in text and "[plans.prepaid]" not in text
    assert text.count('sources = ["newco-todo"]') == 1
