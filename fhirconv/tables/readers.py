"""Read CSV and YAML tables keeping the line number of every row, so that errors can say ``file:line``."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from typing import Any, cast

import yaml

from ..errors import MappingError

__all__ = ["CsvTable", "read_csv", "read_yaml", "key_line", "LINE"]

LINE = "__line__"  # key under which the YAML reader records the line of each mapping
_META_KEYS = ("source", "version", "licence")


@dataclass
class CsvTable:
    path: str
    meta: dict[str, str]
    columns: list[str]
    header_line: int
    rows: list[tuple[int, dict[str, str]]]


def read_csv(path: str, text: str) -> CsvTable:
    """Parse a table: ``# key: value`` header comments, a column line, then rows (``#`` lines are comments)."""
    meta: dict[str, str] = {}
    columns: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, dict[str, str]]] = []
    # A byte order mark (tables saved by Excel or Notepad) is not part of the first line.
    for lineno, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if columns is None and ":" in stripped:
                key, _, value = stripped[1:].partition(":")
                meta[key.strip().lower()] = value.strip()
            continue
        try:
            cells = next(csv.reader([line], strict=True))
        except csv.Error as exc:
            raise MappingError(path, lineno, f"malformed CSV: {exc}") from None
        cells = [c.strip() for c in cells]
        if columns is None:
            columns, header_line = cells, lineno
            if len(set(columns)) != len(columns):
                raise MappingError(path, lineno, f"duplicate column names in {columns}")
            continue
        if len(cells) != len(columns):
            raise MappingError(path, lineno, f"expected {len(columns)} cells ({','.join(columns)}), got {len(cells)}")
        rows.append((lineno, dict(zip(columns, cells))))
    if columns is None:
        raise MappingError(path, 1, "no column line found")
    _check_meta(path, meta)
    return CsvTable(path, meta, columns, header_line, rows)


class _LineLoader(yaml.SafeLoader):
    """Safe YAML (no object construction) that records the line of each mapping under ``__line__`` and refuses
    aliases (``*name``): tables never need them, and nested aliases are the YAML "billion laughs"."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.events.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in tables", event.start_mark)
        return super().compose_node(parent, index)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    # YAML lets a later key silently win over an earlier one ("{kind: negation, kind: hypothesis}"): refuse it.
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (str, int, float, bool)) and key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first at line {seen[key]})", key_node.start_mark
            )
        if isinstance(key, (str, int, float, bool)):
            seen[key] = key_node.start_mark.line + 1
    # YAML keys of the tables are strings (checked by the row schemas); typed as such for the callers
    mapping = cast(dict[str, Any], loader.construct_mapping(node, deep=True))
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: str, text: str) -> dict[str, Any]:
    try:
        data = yaml.load(text.removeprefix("\ufeff"), Loader=_LineLoader)  # noqa: S506 - _LineLoader derives from SafeLoader
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        raise MappingError(path, line, f"malformed YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise MappingError(path, 1, f"malformed YAML: {exc}") from None
    if not isinstance(data, dict):
        raise MappingError(path, 1, "a YAML table must be a mapping with a 'meta' key")
    meta = data.get("meta")
    if not isinstance(meta, dict):
        raise MappingError(path, 1, "missing 'meta:' with source, version and licence")
    _check_meta(path, {k: str(v) for k, v in meta.items() if k != LINE}, meta.get(LINE, 1))
    return data


def key_line(text: str, key: str) -> int:
    """Line of the top-level ``key:`` of a YAML table (block style), or 1: for messages about a whole list."""
    m = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _check_meta(path: str, meta: dict[str, str], line: int = 1) -> None:
    missing = [k for k in _META_KEYS if not meta.get(k)]
    if missing:
        raise MappingError(
            path, line, f"table header lacks {', '.join(missing)} (every table states source, version, licence)"
        )
