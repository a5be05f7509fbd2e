"""Load and validate carrier data: TOML files on disk, or the same data as one JSON-ready dict.

A bad file never half-loads: the error names the file, the field and the problem.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .detect import detect
from .models import Carrier, Common

COMMON_FILE = "_common.toml"
# The carrier ids are the names of the files in carriers/ (one place: `carrier_ids()`; docs/data.md lists
# them, generated). A new file is a new carrier; what it can never do alone is widen the extension's
# reach: its `domains` must be on the reviewed list sourcing.REVIEWED_DOMAINS (`simexit check`, and the
# manifest build refuses any other).


def carrier_ids(directory: Path | None = None) -> list[str]:
    """The ids of the carrier files in the directory (default: carriers/), sorted."""
    directory = Path(directory or default_dir())
    return sorted(p.stem for p in directory.glob("*.toml") if p.name != COMMON_FILE)


class DataError(Exception):
    """A carrier file that cannot be used, with every problem found in it."""

    def __init__(self, file: str, problems: list[str]):
        self.file = file
        self.problems = problems
        super().__init__("\n".join(f"{file}: {p}" for p in problems))


@dataclass(frozen=True)
class Catalog:
    carriers: dict[str, Carrier]
    common: Common

    def get(self, carrier_id: str) -> Carrier:
        try:
            return self.carriers[carrier_id]
        except KeyError:
            raise UnknownCarrier(carrier_id, sorted(self.carriers)) from None

    def to_bundle(self) -> dict[str, Any]:
        """Everything as plain JSON-ready data, for the browser."""
        return {
            "common": self.common.model_dump(mode="json"),
            "carriers": {cid: c.model_dump(mode="json") for cid, c in self.carriers.items()},
        }

    @classmethod
    def from_json(cls, text: str) -> Catalog:
        """The bundle as the browser receives it: parsed and validated in one pass by pydantic-core."""
        try:
            bundle = Bundle.model_validate_json(text)
        except ValidationError as e:
            raise DataError("bundle", [_describe(err) for err in e.errors()]) from None
        return _checked(cls(carriers=bundle.carriers, common=bundle.common))


class Bundle(BaseModel):
    common: Common
    carriers: dict[str, Carrier]


class UnknownCarrier(LookupError):
    def __init__(self, carrier_id: str, known: list[str]):
        self.carrier_id = carrier_id
        self.known = known
        super().__init__(f"unknown carrier {carrier_id!r}; known carriers: {', '.join(known)}")


_default: Catalog | None = None


def default() -> Catalog:
    """The catalog in use: set by `use` (the browser loads a bundle), else carriers/ on disk."""
    global _default
    if _default is None:
        _default = load_dir()
    return _default


def use(catalog: Catalog) -> None:
    global _default
    _default = catalog


def default_dir() -> Path:
    """carriers/ of the source tree (simexit is installed editable, so data is never copied twice)."""
    return Path(__file__).resolve().parents[2] / "carriers"


def load_dir(directory: Path | None = None) -> Catalog:
    directory = Path(directory or default_dir())
    common = _validate(Common, _read_toml(directory / COMMON_FILE), str(directory / COMMON_FILE))
    carriers = {}
    for path in sorted(directory.glob("*.toml")):
        if path.name == COMMON_FILE:
            continue
        carrier = load_file(path)
        carriers[carrier.id] = carrier
    return _checked(Catalog(carriers=carriers, common=common), directory)


def load_file(path: Path) -> Carrier:
    carrier = _validate(Carrier, _read_toml(path), str(path))
    if carrier.id != path.stem:
        raise DataError(str(path), [f"id: {carrier.id!r} does not match the file name {path.stem!r}"])
    return carrier


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only on CPython, where files are read; the browser gets JSON

    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise DataError(str(path), ["file not found"]) from None
    except OSError as e:  # a directory where a file should be, no permission, ...
        raise DataError(str(path), [f"cannot be read: {e.strerror or e}"]) from None
    except UnicodeDecodeError as e:
        raise DataError(str(path), [f"not UTF-8 text: {e.reason}"]) from None
    except tomllib.TOMLDecodeError as e:  # a ValueError too: caught first
        raise DataError(str(path), [f"not valid TOML: {e}"]) from None
    except ValueError as e:  # e.g. a NUL byte in the path
        raise DataError(repr(str(path)), [f"not a usable path: {e}"]) from None


def _validate(model: type, raw: Any, file: str) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        raise DataError(file, [_describe(err) for err in e.errors()]) from None


def _describe(err: dict[str, Any]) -> str:
    loc = ".".join(str(part) for part in err["loc"]) or "(file)"
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        msg = "missing required field"
    return f"{loc}: {msg}"


def _checked(catalog: Catalog, directory: Path | None = None) -> Catalog:
    """Source ids are shared by the engine's output, so a carrier may not reuse a common one."""
    for cid, carrier in catalog.carriers.items():
        clash = sorted(set(carrier.sources) & set(catalog.common.sources))
        if clash:
            where = str(directory / f"{cid}.toml") if directory else cid
            raise DataError(where, [f"sources.{s}: id already used in {COMMON_FILE}" for s in clash])
    return catalog


# ---------------------------------------------------------------- the carrier picker's search

# Words people type around a carrier's name that are not part of it ("T-Mobile美国", "Mint 手机卡").
FILLER_WORDS = ("美国", "运营商", "手机卡", "电话卡", "流量卡", "官网")
# Spaces, hyphens, dots, slashes, brackets, ampersands: "AT&T" = "att", "T-Mobile" = "t mobile".
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,·・/\\&'’()\[\]]+")
_URL_LIKE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|[^\s/]+\.[a-z]{2,}(?:[:/]|$))", re.IGNORECASE)


def search_key(text: str) -> str:
    """What a name is compared by: full-width letters folded to ASCII (NFKC), case folded, separators and
    filler words dropped."""
    key = unicodedata.normalize("NFKC", text).casefold()
    for word in FILLER_WORDS:
        key = key.replace(word, "")
    return _SEPARATORS.sub("", key)


def search_names(carrier: Carrier) -> list[str]:
    """Every name the picker matches a carrier by: id, English and Chinese names, sourced aliases."""
    names = [carrier.id, carrier.name.en, carrier.name.zh, *(a.text for a in carrier.aliases)]
    return list(dict.fromkeys(k for k in map(search_key, names) if k))


def match_carriers(text: str, carriers: dict[str, Carrier]) -> list[str]:
    """Carrier ids whose names match what was typed: exact matches first, then names that start with it,
    then names that contain it; alphabetical by English name within each group."""
    key = search_key(text)
    if not key:
        return []
    ordered = sorted(carriers.values(), key=lambda c: c.name.en.casefold())
    names = {c.id: search_names(c) for c in ordered}
    # The picker's own label ("English / 中文") is an exact match too.
    exact = [c.id for c in ordered if key in names[c.id] or key == search_key(f"{c.name.en}{c.name.zh}")]
    starts = [c.id for c in ordered if any(n.startswith(key) for n in names[c.id])]
    within = [c.id for c in ordered if any(key in n for n in names[c.id])]
    return list(dict.fromkeys([*exact, *starts, *within]))


def find_carrier(text: str, carriers: dict[str, Carrier], first: bool = False) -> str | None:
    """The carrier meant by what was typed, picked or pasted in the carrier box: an exact name or alias,
    else a pasted account-page address, else the only match, or with `first` (Enter) the best match."""
    text = text.strip()
    if not text:
        return None
    key = search_key(text)
    hits = match_carriers(text, carriers)
    if hits and key in search_names(carriers[hits[0]]):
        return hits[0]
    if _URL_LIKE.match(text):
        found = detect(text, None, carriers)
        return found.carrier if found else None
    if first or len(hits) == 1:
        return hits[0] if hits else None
    return None
