"""`Record`, the base of the client's models: a frozen value class that is cheap to define.

A subclass declares its fields as annotations, with defaults as class attributes, and
gets what `@dataclass(frozen=True, kw_only=True)` gives: keyword arguments checked
against the fields, immutability, equality and hash by value, a readable `repr`, and
`copy.replace`. Type checkers see it as a dataclass (`dataclass_transform`); positional
arguments are allowed where a class says `kw_only=False`.

Why not `dataclass` itself: it generates and compiles code for each class, about a
millisecond apiece, and the integration defines dozens of models at import, in Home
Assistant's start-up. This base computes a class's fields once, without generating code.
Subclass modules must use `from __future__ import annotations` (the fields are read
from the class's annotations, which stay unevaluated).
"""

from __future__ import annotations

import annotationlib
from typing import Any, ClassVar, Self, dataclass_transform


@dataclass_transform(kw_only_default=True, frozen_default=True)
class Record:
    """A frozen value object whose fields are its class's annotations."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _field_set: ClassVar[frozenset[str]] = frozenset()
    _required: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, *, kw_only: bool = True) -> None:
        """Collect the fields: the bases' first, then this class's own, in order."""
        del kw_only  # for type checkers only: the constructor takes both forms
        names = dict.fromkeys(cls._fields)
        names.update(dict.fromkeys(annotationlib.get_annotations(cls)))
        cls._fields = tuple(names)
        cls._field_set = frozenset(names)
        cls._required = frozenset(name for name in names if not hasattr(cls, name))

    def __init__(self, *args: object, **values: object) -> None:
        """Set every field from `values` (and `args`, in field order) or its default."""
        if args:
            if len(args) > len(self._fields) or values.keys() & self._fields[: len(args)]:
                raise TypeError(f"{type(self).__name__}: bad positional arguments")
            values.update(zip(self._fields, args, strict=False))
        # Subset tests allocate nothing: this runs for every model the client makes.
        if not (values.keys() <= self._field_set and self._required <= values.keys()):
            unknown = values.keys() - self._field_set
            names = ", ".join(sorted(unknown or self._required - values.keys()))
            problem = "unexpected" if unknown else "missing"
            raise TypeError(f"{type(self).__name__}: {problem} field(s) {names}")
        # Defaults stay on the class; only what was given is stored.
        self.__dict__.update(values)

    def __setattr__(self, name: str, value: object) -> None:
        """Refuse: records are immutable (`copy.replace` makes a changed copy)."""
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        """Refuse: records are immutable."""
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        """Equal to a record of the same class with equal fields."""
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        """The hash of the field values."""
        return hash(self._values())

    def __repr__(self) -> str:
        """`Name(field=value, …)`."""
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({values})"

    def __replace__(self, **changes: object) -> Self:
        """A copy with `changes` (what `copy.replace` calls)."""
        return type(self)(**{name: getattr(self, name) for name in self._fields} | changes)


def record_fields(record: Record) -> tuple[str, ...]:
    """The names of a record's fields, in order."""
    return record._fields
