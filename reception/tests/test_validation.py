import pytest

from reception.services.validation import (
    is_new_energy_plate,
    is_valid_mobile,
    is_valid_plate,
    normalise_mobile,
    normalise_plate,
    vin_check_digit,
    vin_problem,
    with_check_digit,
)


def test_a_known_valid_vin_passes_the_check_digit():
    assert vin_problem("1M8GDM9AXKP042788") is None
    assert vin_check_digit("1M8GDM9AXKP042788") == "X"


def test_a_vin_with_a_typing_mistake_fails_the_check_digit():
    assert vin_problem("1M8GDM9AXKP042789") == "check_digit"


@pytest.mark.parametrize("vin, problem", [("LSVAU2180N212345", "length"), ("LSVAU2180N21234O5", "characters")])
def test_a_vin_of_wrong_length_or_letters_is_refused(vin, problem):
    assert vin_problem(vin) == problem


def test_with_check_digit_makes_any_vin_valid():
    assert vin_problem(with_check_digit("LSVAU2180N2123456")) is None


@pytest.mark.parametrize("plate", ["沪A12345", "京B1234学", "粤BD12345", "沪ADF1234", "粤B12345D", "苏E·A8888"])
def test_chinese_plates_are_accepted(plate):
    assert is_valid_plate(normalise_plate(plate))


@pytest.mark.parametrize("plate", ["AB12345", "沪A1234", "沪AI2345", "沪A123456789"])
def test_malformed_plates_are_refused(plate):
    assert not is_valid_plate(normalise_plate(plate))


def test_new_energy_plates_have_eight_characters():
    assert is_new_energy_plate("沪AD12345")
    assert not is_new_energy_plate("沪A12345")


@pytest.mark.parametrize("raw, ok", [("138 1234 5678", True), ("+8613812345678", True), ("12812345678", False),
                                     ("1381234567", False)])
def test_mobile_numbers_are_chinese_mobiles(raw, ok):
    assert is_valid_mobile(normalise_mobile(raw)) is ok
