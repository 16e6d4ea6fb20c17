from datetime import date

import pytest
from django.core.exceptions import ValidationError

from rescue_station.validators import (
    id_check_digit,
    id_number_birth_date,
    mask_id_number,
    validate_id_number,
)

# 11010519491231002X is the example number of GB 11643 itself.
VALID_18 = "11010519491231002X"


def test_it_computes_the_gb11643_check_digit():
    assert id_check_digit(VALID_18[:17]) == "X"
    assert id_check_digit("43020219900101001") == "1"


def test_it_accepts_a_valid_18_digit_number_in_lower_case():
    validate_id_number(VALID_18.lower())


@pytest.mark.parametrize("number", ["110105194912310021", "430202199001010014"])
def test_it_refuses_a_wrong_check_digit_with_a_message(number):
    with pytest.raises(ValidationError) as error:
        validate_id_number(number)
    assert error.value.code == "id_check_digit"


def test_it_accepts_an_old_15_digit_number():
    validate_id_number("430202900101001")
    assert id_number_birth_date("430202900101001") == date(1990, 1, 1)


@pytest.mark.parametrize("number", ["12345", "43020219900101001A", "4302021990010100X4"])
def test_it_refuses_a_malformed_number(number):
    with pytest.raises(ValidationError) as error:
        validate_id_number(number)
    assert error.value.code == "id_format"


def test_it_refuses_a_birth_date_that_does_not_exist():
    first17 = "43020219900230001"
    with pytest.raises(ValidationError) as error:
        validate_id_number(first17 + id_check_digit(first17))
    assert error.value.code == "id_birth_date"


def test_it_masks_all_but_the_region_and_the_last_two():
    assert mask_id_number(VALID_18) == "1101************2X"
    assert mask_id_number("") == ""
