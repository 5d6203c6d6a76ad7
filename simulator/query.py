"""MongoDB-style filters, as Scorocode's `query` field takes them.

Supported: plain values (equality; an array field matches if it contains the
value), `$eq $ne $in $nin $all $gt $gte $lt $lte $exists $regex $options`, and
`$or` / `$and` at the top level. Dotted names reach into nested objects.
Anything else is a `QueryError`, which the endpoint reports as a 400.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

_MISSING: Any = object()


class QueryError(ValueError):
    """The query is not a filter the simulator understands."""


def matches(document: Mapping[str, Any], query: Mapping[str, Any]) -> bool:
    """Whether `document` passes the filter `query`."""
    # Every clause is evaluated, even after one fails, so that a bad operator is
    # reported the same way whatever the data.
    outcomes = [_clause_matches(document, key, condition) for key, condition in query.items()]
    return all(outcomes)


def _clause_matches(document: Mapping[str, Any], key: str, condition: Any) -> bool:  # noqa: ANN401
    if key in {"$or", "$and"}:
        if not isinstance(condition, list) or not condition:
            raise QueryError(f"{key} needs a non-empty array")
        outcomes = [matches(document, _as_query(branch)) for branch in condition]
        return any(outcomes) if key == "$or" else all(outcomes)
    if key.startswith("$"):
        raise QueryError(f"unknown top-level operator {key}")
    return _field_matches(_lookup(document, key), condition)


def check(query: Any) -> dict[str, Any]:  # noqa: ANN401 - any JSON value
    """Return `query` as a filter, or raise `QueryError` when it can't be one."""
    checked = _as_query(query)
    matches({}, checked)  # a dry run surfaces unknown operators and bad arguments
    return checked


def _as_query(value: Any) -> dict[str, Any]:  # noqa: ANN401
    if not isinstance(value, dict):
        raise QueryError("a query must be an object")
    return value


def _lookup(document: Mapping[str, Any], dotted: str) -> Any:  # noqa: ANN401
    value: Any = document
    for name in dotted.split("."):
        if not isinstance(value, Mapping) or name not in value:
            return _MISSING
        value = value[name]
    return value


def _field_matches(value: Any, condition: Any) -> bool:  # noqa: ANN401
    if not (isinstance(condition, dict) and any(key.startswith("$") for key in condition)):
        return _equals(value, condition)
    if not all(key.startswith("$") for key in condition):
        raise QueryError("operators and plain fields can't be mixed in one condition")
    if "$options" in condition and "$regex" not in condition:
        raise QueryError("$options needs $regex")
    outcomes = [
        _operator(operator)(value, argument, condition)
        for operator, argument in condition.items()
        if operator != "$options"
    ]
    return all(outcomes)


def _operator(name: str) -> Callable[[Any, Any, Mapping[str, Any]], bool]:
    test = _OPERATORS.get(name)
    if test is None:
        raise QueryError(f"unknown operator {name}")
    return test


def _same(value: Any, target: Any) -> bool:  # noqa: ANN401
    # JSON true is not 1, though Python says so.
    if isinstance(value, bool) or isinstance(target, bool):
        return isinstance(value, bool) and isinstance(target, bool) and value == target
    return bool(value == target)


def _equals(value: Any, target: Any) -> bool:  # noqa: ANN401
    if value is _MISSING:
        return target is None  # {field: null} matches documents without the field
    if isinstance(value, list) and not isinstance(target, list):
        return any(_same(item, target) for item in value)
    return _same(value, target)


def _in(value: Any, argument: Any, _condition: Mapping[str, Any]) -> bool:  # noqa: ANN401
    if not isinstance(argument, list):
        raise QueryError("$in and $nin need an array")
    return any(_equals(value, candidate) for candidate in argument)


def _all(value: Any, argument: Any, _condition: Mapping[str, Any]) -> bool:  # noqa: ANN401
    if not isinstance(argument, list):
        raise QueryError("$all needs an array")
    return bool(argument) and all(_equals(value, wanted) for wanted in argument)


def _exists(value: Any, argument: Any, _condition: Mapping[str, Any]) -> bool:  # noqa: ANN401
    return (value is not _MISSING) == bool(argument)


def _regex(value: Any, argument: Any, condition: Mapping[str, Any]) -> bool:  # noqa: ANN401
    options = condition.get("$options", "")
    if not isinstance(argument, str) or not isinstance(options, str):
        raise QueryError("$regex and $options take strings")
    flags = 0
    for letter in options:
        flag = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}.get(letter)
        if flag is None:
            raise QueryError(f"unknown $options letter {letter!r}")
        flags |= flag
    try:
        pattern = re.compile(argument, flags)
    except re.error as err:
        raise QueryError(f"bad $regex: {err}") from err
    candidates = value if isinstance(value, list) else [value]
    return any(isinstance(item, str) and pattern.search(item) for item in candidates)


def _comparison(
    compare: Callable[[Any, Any], bool],
) -> Callable[[Any, Any, Mapping[str, Any]], bool]:
    def test(value: Any, argument: Any, _condition: Mapping[str, Any]) -> bool:  # noqa: ANN401
        candidates = value if isinstance(value, list) else [value]
        return any(_comparable(item, argument) and compare(item, argument) for item in candidates)

    return test


def _comparable(value: Any, argument: Any) -> bool:  # noqa: ANN401
    # Like MongoDB, only numbers compare with numbers and strings with strings.
    def is_number(item: Any) -> bool:  # noqa: ANN401
        return isinstance(item, int | float) and not isinstance(item, bool)

    if is_number(value) and is_number(argument):
        return True
    return isinstance(value, str) and isinstance(argument, str)


_OPERATORS: dict[str, Callable[[Any, Any, Mapping[str, Any]], bool]] = {
    "$eq": lambda value, argument, _c: _equals(value, argument),
    "$ne": lambda value, argument, _c: not _equals(value, argument),
    "$in": _in,
    "$nin": lambda value, argument, condition: not _in(value, argument, condition),
    "$all": _all,
    "$exists": _exists,
    "$regex": _regex,
    "$gt": _comparison(lambda a, b: a > b),
    "$gte": _comparison(lambda a, b: a >= b),
    "$lt": _comparison(lambda a, b: a < b),
    "$lte": _comparison(lambda a, b: a <= b),
}
