"""``@record``: the models are named tuples built from a dataclass-like body."""

from __future__ import annotations

import pytest

from djlint_docker.records import record


@record
class Point:
    """A point."""

    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    ORIGIN_NAME = "origin"  # a constant, not a field

    @property
    def norm(self) -> int:
        return abs(self.x) + abs(self.y)


def test_fields_defaults_methods_and_docstring_are_kept():
    point = Point(3, -4)
    assert (point.x, point.y, point.tags, point.norm) == (3, -4, (), 7)
    assert Point._fields == ("x", "y", "tags")
    assert Point.__doc__ == "A point." and Point.ORIGIN_NAME == "origin"
    assert repr(point) == "Point(x=3, y=-4, tags=())"


def test_records_are_immutable_values():
    point = Point(1, 2)
    with pytest.raises(AttributeError):
        point.x = 5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        point.z = 5  # type: ignore[attr-defined]
    assert point._replace(y=9) == Point(1, 9) and point == Point(1, 2)
    assert hash(point) == hash(Point(1, 2))


def test_a_field_without_default_after_one_with_a_default_is_refused():
    with pytest.raises(TypeError, match="follows one with a default"):
        @record
        class Broken:
            a: int = 1
            b: int
