"""The MongoDB-style filter matcher behind Scorocode's `query`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.query import QueryError, check, matches

USER = {
    "username": "alice",
    "email": "Alice@Example.com",
    "age": 30,
    "score": 4.5,
    "roles": ["admin", "staff"],
    "active": True,
    "profile": {"city": "Москва"},
}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, True),
        ({"username": "alice"}, True),
        ({"username": "bob"}, False),
        ({"roles": "staff"}, True),
        ({"roles": ["admin", "staff"]}, True),
        ({"roles": ["staff", "admin"]}, False),
        ({"missing": None}, True),
        ({"active": 1}, False),
        ({"age": 30.0}, True),
        ({"age": {"$eq": 30}}, True),
        ({"age": {"$ne": 30}}, False),
        ({"roles": {"$ne": "guest"}}, True),
        ({"roles": {"$ne": "admin"}}, False),
        ({"age": {"$gt": 29, "$lt": 31}}, True),
        ({"age": {"$gte": 30, "$lte": 30}}, True),
        ({"age": {"$gt": 30}}, False),
        ({"age": {"$gt": "1"}}, False),
        ({"username": {"$lt": "b"}}, True),
        ({"score": {"$lte": 4.5}}, True),
        ({"age": {"$in": [1, 30]}}, True),
        ({"roles": {"$in": ["guest", "staff"]}}, True),
        ({"roles": {"$nin": ["guest"]}}, True),
        ({"roles": {"$nin": ["staff"]}}, False),
        ({"roles": {"$all": ["staff", "admin"]}}, True),
        ({"roles": {"$all": ["staff", "guest"]}}, False),
        ({"email": {"$exists": True}}, True),
        ({"phone": {"$exists": True}}, False),
        ({"phone": {"$exists": False}}, True),
        ({"email": {"$regex": "^alice@"}}, False),
        ({"email": {"$regex": "^alice@", "$options": "i"}}, True),
        ({"roles": {"$regex": "^adm"}}, True),
        ({"age": {"$regex": "3"}}, False),
        ({"profile.city": "Москва"}, True),
        ({"profile.country": {"$exists": False}}, True),
        ({"$or": [{"username": "bob"}, {"age": 30}]}, True),
        ({"$or": [{"username": "bob"}, {"age": 31}]}, False),
        ({"$and": [{"username": "alice"}, {"roles": "admin"}]}, True),
        ({"$and": [{"username": "alice"}, {"roles": "guest"}]}, False),
        ({"username": "alice", "age": {"$lt": 18}}, False),
        ({"profile": {"city": "Москва"}}, True),
    ],
)
def test_matches(query, expected):
    assert matches(USER, query) is expected


@pytest.mark.parametrize(
    "query",
    [
        {"age": {"$near": 1}},
        {"$nor": [{"a": 1}]},
        {"$or": []},
        {"$or": {"a": 1}},
        {"age": {"$in": 30}},
        {"roles": {"$all": "staff"}},
        {"email": {"$options": "i"}},
        {"email": {"$regex": "("}},
        {"email": {"$regex": "a", "$options": "q"}},
        {"age": {"$gt": 1, "plain": 2}},
        {"username": "bob", "age": {"$bogus": 1}},
        ["not", "an", "object"],
    ],
)
def test_bad_queries_are_refused_whatever_the_data(query):
    with pytest.raises(QueryError):
        check(query)


# Field names without "$" or "." (those are operators and paths).
FIELD_NAMES = st.text(st.characters(exclude_characters="$."), min_size=1)


@given(st.dictionaries(FIELD_NAMES, st.integers() | st.text() | st.lists(st.integers())))
def test_a_document_matches_itself(document):
    assert matches(document, document)


@given(st.integers(), st.integers())
def test_comparisons_agree_with_python(value, bound):
    document = {"n": value}
    assert matches(document, {"n": {"$gt": bound}}) is (value > bound)
    assert matches(document, {"n": {"$lte": bound}}) is (value <= bound)
    assert matches(document, {"n": {"$ne": bound}}) is (value != bound)
