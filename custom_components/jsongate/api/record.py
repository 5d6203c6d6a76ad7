"""`Record`, the client models' base: `@dataclass(frozen=True, kw_only=True)`, cheap to define.

`dataclass` compiles code per class (~1 ms each, dozens at start-up). Subclass modules need
`from __future__ import annotations`: fields are the class's unevaluated annotations.
"""

from __future__ import annotations

import annotationlib
from typing import Any, ClassVar, NamedTuple, Self, dataclass_transform


class _GatewayKey(NamedTuple):
    key: str
    default: object


_NO_DEFAULT = object()


def gateway_key(key: str, *, default: Any = _NO_DEFAULT) -> Any:  # noqa: ANN401 - as `field`
    """Declare a field's key in the gateway's JSON objects (and its default, if it has one)."""
    return _GatewayKey(key, default)


@dataclass_transform(kw_only_default=True, frozen_default=True, field_specifiers=(gateway_key,))
class Record:
    """A frozen value object whose fields are its annotations; `kw_only=False` allows positions."""

    __slots__ = ()
    _types: ClassVar[dict[str, str]] = {}
    _keys: ClassVar[dict[str, str]] = {}
    _fields: ClassVar[tuple[str, ...]] = ()
    _field_set: ClassVar[frozenset[str]] = frozenset()
    _required: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, *, kw_only: bool = True) -> None:
        """Collect the fields: the bases' first, then this class's own, in order."""
        del kw_only  # for type checkers only: the constructor takes both forms
        cls._types = cls._types | annotationlib.get_annotations(cls)
        specs = {name: spec for name, spec in vars(cls).items() if isinstance(spec, _GatewayKey)}
        cls._keys = cls._keys | {name: spec.key for name, spec in specs.items()}
        for name, spec in specs.items():
            if spec.default is _NO_DEFAULT:
                delattr(cls, name)  # a required field
            else:
                setattr(cls, name, spec.default)
        cls._fields = tuple(cls._types)
        cls._field_set = frozenset(cls._types)
        cls._required = frozenset(name for name in cls._types if not hasattr(cls, name))

    def __init__(self, *args: object, **values: object) -> None:
        """Set every field from `values`, `args` (in field order) or its default."""
        if args:
            if len(args) > len(self._fields) or values.keys() & self._fields[: len(args)]:
                raise TypeError(f"{type(self).__name__}: bad positional arguments")
            values.update(zip(self._fields, args, strict=False))
        # Subset tests allocate nothing: this runs for every model the client makes.
        if not self._required <= values.keys() <= self._field_set:
            unknown = values.keys() - self._field_set
            names = ", ".join(sorted(unknown or self._required - values.keys()))
            problem = "unexpected" if unknown else "missing"
            raise TypeError(f"{type(self).__name__}: {problem} field(s) {names}")
        self.__dict__.update(values)  # defaults stay on the class: only what was given

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


def field_types(model: type[Record]) -> dict[str, str]:
    """A record class's fields and their annotations as written (`"int | None"`), in order."""
    return model._types  # noqa: SLF001 - the class of this module


def gateway_keys(model: type[Record]) -> dict[str, str]:
    """A record class's fields that have a key in the gateway's JSON, and that key."""
    return model._keys  # noqa: SLF001 - the class of this module
