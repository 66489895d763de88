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
