"""Flat dict forms of the domain records, shared by every store adapter.

One codec for every record, driven by the types of its dataclass fields:
times are ISO 8601 strings in UTC, dates ISO dates, bytes stay bytes,
frozensets become sorted lists and tuples lists. Reading, a missing or null
value takes the field's default (a record written before the field existed),
and an empty time is no time. (These are the shapes the per-record
converters before this codec wrote, so stored data reads back unchanged.) A
document type keeps its own form (``DocType.to_dict``), which reads kinds a
newer version defined as text.

This is the storage format, not what users are shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, Literal

from chalicelib.domain.catalogue import DocType


def iso(when: dt.datetime | None) -> str | None:
    return None if when is None else when.astimezone(dt.UTC).isoformat()


def encode(record: Any) -> dict[str, Any]:
    """The flat dict of a domain record (a dataclass instance)."""
    if isinstance(record, DocType):
        return record.to_dict()
    return {f.name: _plain(getattr(record, f.name)) for f in dataclasses.fields(record)}


def decode[R](cls: type[R], data: Mapping[str, Any]) -> R:
    """The record of type ``cls`` that ``encode`` gave ``data``."""
    if cls is DocType:
        return typing.cast(R, DocType.from_dict(data))
    values: dict[str, Any] = {}
    for name, hint, default in _fields(typing.cast(Any, cls)):
        raw = data.get(name)
        if raw is None and default is not None:
            values[name] = default()
        else:
            values[name] = _typed(hint, raw)
    return cls(**values)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):  # before date: a datetime is a date
        return iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


@functools.cache
def _fields(cls: type[Any]) -> tuple[tuple[str, Any, Callable[[], Any] | None], ...]:
    """(name, resolved type, what makes its default or None) per field."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        default: Callable[[], Any] | None = None
        if f.default is not dataclasses.MISSING:
            default = functools.partial(lambda value: value, f.default)
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory
        out.append((f.name, hints[f.name], default))
    return tuple(out)


def _typed(hint: Any, raw: Any) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):  # X | None
        (inner,) = (a for a in args if a is not type(None))
        return None if raw is None or raw == "" else _typed(inner, raw)
    if origin in (frozenset, tuple):
        return origin(_typed(args[0], x) for x in raw or ())
    if origin in (dict, Mapping):
        return {_typed(args[0], k): _typed(args[1], v) for k, v in (raw or {}).items()}
    if raw is None:
        raise KeyError("a stored record lacks a required field")
    if origin is Literal:
        return str(raw)
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(str(raw))
    if hint is dt.date:
        return dt.date.fromisoformat(str(raw))
    if hint in (str, int, bytes, bool):
        return hint(raw)
    raise TypeError(f"no stored form for {hint!r}")
