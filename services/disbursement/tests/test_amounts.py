from jiuzhu_disbursement.domain.amounts import amount_in


def test_the_amount_in_a_month_is_the_latest_change_in_force_then():
    changes = {"2022-06": 90000, "2023-01": 95000}
    assert amount_in("2022-05", 130000, changes) == 130000  # before any change: as approved
    assert amount_in("2022-06", 130000, changes) == 90000  # from the effective month on
    assert amount_in("2022-12", 130000, changes) == 90000
    assert amount_in("2023-01", 130000, changes) == 95000  # a January standard raise
    assert amount_in("2030-01", 130000, {}) == 130000
