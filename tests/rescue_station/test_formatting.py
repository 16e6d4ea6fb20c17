from decimal import Decimal

from rescue_station.formatting import format_wan, percent, wan_to_yuan, yuan_to_wan


def test_it_converts_yuan_to_wan_half_up():
    assert yuan_to_wan(Decimal("10827800.00")) == Decimal("1082.78")
    assert yuan_to_wan(Decimal("50.00")) == Decimal("0.01")
    assert yuan_to_wan(Decimal("49.99")) == Decimal("0.00")
    assert yuan_to_wan(None) is None


def test_it_converts_wan_to_yuan():
    assert wan_to_yuan("1083.17") == Decimal("10831700.00")


def test_it_rounds_a_percentage_once_half_up():
    assert percent(10827800, 10831700) == Decimal("99.96")
    assert percent(1, 8) == Decimal("12.50")
    assert percent(1, 200) == Decimal("0.50")
    assert percent(1, 0) is None


def test_it_shows_wan_with_thousands_and_two_places():
    assert format_wan(Decimal("10831700")) == "1,083.17"
    assert format_wan(None) == ""
