"""Issue 15's "a death" and "a move between the two devolved jurisdictions", on the real processes:
two households approved in 柳树街 through the whole procedure; in one a member dies and the account
changes (the roster pays the new account, the public list shows the new size); the other moves to
乌尔禾镇, which accepts it: 柳树街 pays through April, the town from May, and the town's public list
carries it under its committee. Refused on the way: the wrong role, the other jurisdiction's staff,
the town's acceptance by 柳树街's leader, a change to the household that has left."""

import datetime as dt

from .steps import C1, C2, J1, J2, at, through_review


async def approved(district, walker, day) -> tuple[str, list[dict]]:
    case_id, members, _ = await through_review(district, walker, J1, C1, day)
    await walker.wait_decision_state(J1, case_id, lambda s: s["publicity"] == "open")
    return case_id, members


async def household(walker, jurisdiction, case_id, *, status=None) -> dict:
    async def check():
        r = await walker.call("GET", "decision", jurisdiction, f"/supported-households/{case_id}/household",
                              role="clerk", expect=(200, 404))
        return r.json() if r.status_code == 200 and (status is None or r.json()["status"] == status) else None
    return await walker.until(check)


async def roster_lines(walker, month, jurisdiction) -> list[list[str]]:
    roster = (await walker.call("POST", "disbursement", None, "/rosters", role="bureau_admin",
                                json={"month": month, "jurisdiction": jurisdiction})).json()
    csv = await walker.call("GET", "disbursement", None, f"/rosters/{roster['roster_id']}/export.csv",
                            role="bureau_admin")
    return [line.split(",") for line in csv.text.splitlines()[1:] if line and not line.startswith("#")]


async def public_list(walker, jurisdiction) -> str:
    return (await walker.client.get(walker.url("publicity", jurisdiction) + "/public/list")).text


async def test_a_death_and_a_move_between_the_two_devolved_jurisdictions(district, walker):
    day = dt.date(2022, 3, 1)
    (dies, dies_members), (moves, moves_members) = [await approved(district, walker, day) for _ in range(2)]
    await district.set_business_time(at(dt.date(2022, 3, 11)))  # both windows closed clean (test 1's arithmetic)
    for case_id in (dies, moves):
        await walker.wait_decision_state(J1, case_id, lambda s: s["publicity"] == "clean")
        assert (await walker.decide(J1, case_id)).json()["first_month_paid"] == "2022-04"
        await household(walker, J1, case_id)

    # --- a death: the child dies; the household reports a new account -----------------------
    child = dies_members[1]
    change = {"members_removed": [{"id_number": child["id_number"], "name": child["name"], "cause": "death",
                                   "since": "2022-03-08"}],
              "payment_account": "6222020000009999", "reasons": ["成员死亡（死亡医学证明）", "更换社会保障卡"]}
    path = f"/supported-households/{dies}/household"
    await walker.call("POST", "decision", J1, path, role="investigator", json=change, expect=403)
    await walker.call("POST", "decision", J1, path, role="clerk", as_jurisdiction=J2, json=change, expect=403)
    after = (await walker.call("POST", "decision", J1, path, role="clerk", who="clerk-1", json=change)).json()
    assert after["household_size"] == 1 and after["member_id_numbers"] == [dies_members[0]["id_number"]]

    async def new_account():
        lines = {l[1]: l for l in await roster_lines(walker, "2022-04", J1)}
        return lines if dies in lines and lines[dies][6] == '"6222020000009999"' else None
    april = await walker.until(new_account)
    assert april[dies][4] == str(2 * 90000 - 50000)  # the amount stays until the decider decides (re-review)

    async def one_person_listed():
        page = await public_list(walker, J1)
        return f"<td>{dies_members[0]['name']}</td><td>1</td>" in page
    await walker.until(one_person_listed)

    # --- a move: 柳树街 asks in April, 乌尔禾镇 accepts; 柳树街 pays April, the town from May ----------
    await district.set_business_time(at(dt.date(2022, 4, 11)))
    ask = {"to_jurisdiction": J2, "address": "乌尔禾镇哈克村8号", "reasons": ["全户迁居乌尔禾镇哈克村"]}
    await walker.call("POST", "decision", J1, f"/supported-households/{moves}/transfer", role="clerk", json=ask,
                      expect=403)
    asked = (await walker.call("POST", "decision", J1, f"/supported-households/{moves}/transfer", role="leader",
                               who="lead-1", json=ask)).json()
    assert asked["from_month"] == "2022-05"
    transfer_id = asked["transfer_id"]

    async def waiting_in_town():
        r = await walker.call("GET", "decision", J2, f"/transfers/{transfer_id}", role="leader", expect=(200, 404))
        return r.json() if r.status_code == 200 else None
    incoming = await walker.until(waiting_in_town)
    assert (incoming["status"], incoming["from_case_id"]) == ("requested", moves)

    acceptance = f"/transfers/{transfer_id}/acceptance"
    refused = await walker.call("POST", "decision", J2, acceptance, role="leader", as_jurisdiction=J1,
                                json={"committee": C2}, expect=403)
    assert "serves jurisdiction" in refused.text
    taken = (await walker.call("POST", "decision", J2, acceptance, role="leader", who="lead-2",
                               json={"committee": C2})).json()
    new_case = taken["case_id"]
    assert taken["first_month_paid"] == "2022-05" and taken["moved_from"]["case_id"] == moves

    left = await household(walker, J1, moves, status="ended")
    assert left["last_month_paid"] == "2022-04" and left["moved_to"]["case_id"] == new_case
    await walker.call("POST", "decision", J1, f"/supported-households/{moves}/household", role="clerk",
                      json={"payment_account": "6222020000000002"}, expect=409)

    async def paid_once_a_month():
        april = {l[1] for l in await roster_lines(walker, "2022-04", None)}
        may = {l[1]: l for l in await roster_lines(walker, "2022-05", None)}
        if moves not in april or new_case not in may:
            return None
        return april, may
    april, may = await walker.until(paid_once_a_month)
    assert new_case not in april and moves not in may
    assert may[new_case][0] == J2 and may[new_case][4] == str(2 * 90000 - 50000)

    mover = moves_members[0]["name"]

    async def listed_in_town_only():
        town, street = await public_list(walker, J2), await public_list(walker, J1)
        return mover in town and C2 in town and mover not in street
    await walker.until(listed_in_town_only)
