from decimal import Decimal as D

import pytest

from performance.planning import suggest_target
from performance.scoring import Comparator as C


@pytest.mark.parametrize(
    ("comparator", "target", "actuals", "expected"),
    [
        (">=", "7500", [D(7480), D(5577)], "5577"),  # the year that did not repeat
        (">=", "1000", [D(1912)], "1912"),  # far exceeded: the target moves up
        (">", "95", [D("98.50"), D("97.25")], "97.25"),
        ("<=", "5", [D(3), D(4)], "4"),
        ("<", "1.5", [D("1.234")], "1.24"),
        ("=", "100", [D(99)], "100"),
        ("=", "0", [D(0)], "0"),
        ("qualitative", "提升", [], "提升"),
        (">=", "80", [None, None], "80"),
        (">=", "80", [], "80"),
    ],
)
def test_it_suggests_a_target_the_station_met_every_year(comparator, target, actuals, expected):
    assert suggest_target(C(comparator), target, actuals) == expected
