import datetime as dt

import pytest
from pydantic import BaseModel, ValidationError

from jiuzhu_contracts.examples import synthetic_id
from jiuzhu_contracts.resident_id import InvalidResidentId, ResidentId, check_character, mask, validate_resident_id


def test_check_character_follows_gb11643_mod_11_2():
    # Worked example of GB 11643-1999 appendix: 11010519491231002 → X
    assert check_character("11010519491231002") == "X"
    assert validate_resident_id("11010519491231002X") == "11010519491231002X"


def test_lowercase_x_is_normalised():
    assert validate_resident_id("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize("number, rule", [
    ("110105194912310021", "check character"),
    ("11010519491331002X", "birth date"),
    ("1101051949123100", "18 characters"),
    ("A1010519491231002X", "18 characters"),
])
def test_invalid_numbers_name_the_rule(number, rule):
    with pytest.raises(InvalidResidentId, match=rule):
        validate_resident_id(number)


def test_pydantic_field_rejects_at_the_edge():
    class Form(BaseModel):
        id_number: ResidentId

    assert Form(id_number=synthetic_id()).id_number == synthetic_id()
    with pytest.raises(ValidationError, match="check character"):
        Form(id_number=synthetic_id()[:-1] + ("0" if synthetic_id()[-1] != "0" else "1"))


def test_mask_hides_the_middle():
    assert mask("11010519491231002X") == "110***********002X"


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def test_full_width_digits_are_normalised_to_ascii_before_any_check():
    # What a Chinese IME types in full-width mode; \d matches these, which is how they used to pass.
    number = "11010519491231002X"
    assert validate_resident_id(number.translate(FULL_WIDTH)) == number
    assert validate_resident_id(number[:17].translate(FULL_WIDTH) + number[17]) == number  # used to pass as is
    assert validate_resident_id("１１０１０５１９４９１２３１００２ｘ") == number
    assert validate_resident_id("\u3000" + number + " ") == number  # ideographic space around it


def test_full_width_number_with_a_wrong_check_character_is_still_refused():
    with pytest.raises(InvalidResidentId, match="check character"):
        validate_resident_id("110105194912310021".translate(FULL_WIDTH))


@pytest.mark.parametrize("digits", ["٦٥٠٢٠٥١٩٨٠٠١٠١٠٠١٠", "६५०२०५१९८००१०१००१०"])
def test_other_scripts_digits_are_refused(digits):
    # Arabic-Indic and Devanagari digits are decimal digits to Python, but not ID characters.
    with pytest.raises(InvalidResidentId, match="18 characters"):
        validate_resident_id(digits)


def test_birth_date_in_the_future_is_refused():
    future = synthetic_id(born="20990101")
    with pytest.raises(InvalidResidentId, match="future"):
        validate_resident_id(future)
    with pytest.raises(InvalidResidentId, match="future"):
        validate_resident_id(synthetic_id(born="20220302"), today=dt.date(2022, 3, 1))
    assert validate_resident_id(synthetic_id(born="20220301"), today=dt.date(2022, 3, 1))


def test_implausibly_early_birth_date_is_refused():
    with pytest.raises(InvalidResidentId, match="implausibly early"):
        validate_resident_id(synthetic_id(born="18791231"))


def test_pydantic_field_holds_the_normalised_number():
    class Form(BaseModel):
        id_number: ResidentId

    number = synthetic_id()
    assert Form(id_number=number.translate(FULL_WIDTH)).id_number == number
    assert Form.model_validate_json(f'{{"id_number": "{number.translate(FULL_WIDTH)}"}}').id_number == number


def test_every_contract_normalises_the_numbers_it_carries():
    from jiuzhu_contracts.events import CaseFiled
    from jiuzhu_contracts.examples import APPLICANT_ID, EXAMPLES

    filed = next(e for e in EXAMPLES if isinstance(e, CaseFiled))
    wide = filed.model_dump(mode="json")
    wide["member_id_numbers"] = [n.translate(FULL_WIDTH) for n in wide["member_id_numbers"]]
    assert CaseFiled.model_validate(wide).member_id_numbers[0] == APPLICANT_ID
