"""The pay calculator's parts: commission, rounding, the exact pool split, the guarantee,
probation, withheld pay, and the refusal of floats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kefu.payroll.calculator import (
    AgentMonth,
    payslips_compute,
    progressive_commission,
    round_pay,
    split_exact,
)
from kefu.performance.engine import Month, month_rules_apply
from kefu.performance.tests.support import d, fact
from kefu.policy.documents import load_preset
from kefu.policy.schema import CommissionTier, Rounding

MARCH = Month(2026, 3)
TIERS = [
    CommissionTier(up_to="100000", rate="0.003"),
    CommissionTier(up_to="200000", rate="0.005"),
    CommissionTier(rate="0.008"),
]


def test_progressive_commission_by_hand():
    # 100000 x 0.3 % = 300; (200000 - 100000) x 0.5 % = 500; (250000 - 200000) x 0.8 % = 400.
    total, parts = progressive_commission(Decimal(250000), TIERS)
    assert total == Decimal("1200.00")
    assert [(p.base, p.amount) for p in parts] == [
        (Decimal(100000), Decimal(300)),
        (Decimal(100000), Decimal(500)),
        (Decimal(50000), Decimal(400)),
    ]
    assert parts[2].describe() == "超过¥200000的部分¥50000×0.8%=¥400"


@pytest.mark.parametrize(
    ("sales", "expected"),
    [("0", "0"), ("99999.99", "299.99997"), ("100000", "300"), ("150000.50", "550.0025")],
)
def test_progressive_commission_at_the_edges(sales, expected):
    assert progressive_commission(Decimal(sales), TIERS)[0] == Decimal(expected)


def test_round_pay_modes_and_steps():
    value = Decimal("10.005")
    assert round_pay(value, Rounding(to="0.01", mode="half_up")) == Decimal("10.01")
    assert round_pay(value, Rounding(to="0.01", mode="half_even")) == Decimal("10.00")
    assert round_pay(value, Rounding(to="0.01", mode="down")) == Decimal("10.00")
    assert str(round_pay(Decimal("10.07"), Rounding(to="0.05"))) == "10.05"
    assert str(round_pay(Decimal("1234.5"), Rounding(to="1"))) == "1235"


def test_split_exact_by_hand():
    # 1000 / 3 = 333.333...: two parts lose 0.00333, the first fen left goes to the first.
    parts = split_exact(Decimal("1000.00"), dict.fromkeys("abc", Decimal(1)), step=Decimal("0.01"))
    assert parts == {"a": Decimal("333.34"), "b": Decimal("333.33"), "c": Decimal("333.33")}
    weights = {"a": Decimal(90), "b": Decimal("85.5"), "c": Decimal(0)}
    parts = split_exact(Decimal("100.00"), weights, step=Decimal("0.01"))
    # 100 x 90 / 175.5 = 51.2820...; 100 x 85.5 / 175.5 = 48.7179...: remainders .20 and .79.
    assert parts == {"a": Decimal("51.28"), "b": Decimal("48.72"), "c": Decimal("0.00")}
    with pytest.raises(ValueError, match="round it first"):
        split_exact(Decimal("1.005"), weights, step=Decimal("0.01"))


@given(
    total_fen=st.integers(min_value=0, max_value=10**9),
    scores=st.lists(
        st.decimals(min_value=0, max_value=130, places=1, allow_nan=False), min_size=1, max_size=30
    ),
)
def test_pool_split_sums_exactly_to_the_pool(total_fen, scores):
    total = Decimal(total_fen) / 100
    weights = {f"a{i}": score for i, score in enumerate(scores)}
    parts = split_exact(total, weights, step=Decimal("0.01"))
    assert sum(parts.values()) == total
    weight_sum = sum(scores)
    for key, part in parts.items():
        exact = total * weights[key] / weight_sum if weight_sum else total / len(scores)
        assert abs(part - exact) < Decimal("0.01")
        assert part == part.quantize(Decimal("0.01"))


def test_department_pool_is_split_by_score_and_sums_to_the_pool():
    policy = load_preset("taobao-s4-points")
    scores = {
        "a": {"team_task": Decimal(30)},
        "b": {"team_task": Decimal(20)},
        "c": {"team_task": Decimal(25)},
    }
    outcome = month_rules_apply(policy=policy, facts=[], month=MARCH, part_scores=scores)
    agents = [AgentMonth(agent_id, "junior") for agent_id in "abc"]
    slips = payslips_compute(
        policy=policy,
        month=MARCH,
        agents=agents,
        outcomes=outcome,
        department_sales=Decimal("123456.78"),
    )
    # Pool: 100000 x 1 % + 23456.78 x 1.5 % = 1000 + 351.8517 = 1351.8517 → 1351.85.
    shares = [slip.amounts("pool_share")[0] for slip in slips]
    assert sum(shares) == Decimal("1351.85")
    # Scores 105, 95, 100 (+5 zero complaints each), 300 in all. Exact shares in fen:
    # 47314.75, 42808.583.., 45061.666..: rounded down 1351.83, the 2 fen left go to the
    # largest remainders (.75 for a, .67 for c).
    assert shares == [Decimal("473.15"), Decimal("428.08"), Decimal("450.62")]


def test_a_pool_decided_outside_the_policy_is_split_the_same_way():
    policy = load_preset("taobao-s4-points")
    outcome = month_rules_apply(policy=policy, facts=[], month=MARCH, agents=["a", "b"])
    agents = [AgentMonth("a", "senior"), AgentMonth("b", "senior", on_probation=True)]
    slips = payslips_compute(
        policy=policy, month=MARCH, agents=agents, outcomes=outcome, pool=Decimal("3000.00")
    )
    # The probationer has no bonus (S4.5 二(二)): the whole pool goes to a, above the third
    # guarantee (2500), so nothing is topped up.
    assert [(ln.code, ln.amount) for ln in slips[0].lines] == [("pool_share", Decimal("3000.00"))]
    assert slips[0].lines[0].explanation.startswith("部门提成总额¥3000（核定金额）；个人奖金")
    assert [(ln.code, ln.amount) for ln in slips[1].lines] == [("probation", Decimal(1600))]
    with pytest.raises(ValueError, match="one of the two"):
        payslips_compute(
            policy=policy,
            month=MARCH,
            agents=agents,
            outcomes=outcome,
            pool=Decimal(1),
            department_sales=Decimal(1),
        )
    s1 = load_preset("taobao-s1")
    with pytest.raises(ValueError, match="no department commission"):
        payslips_compute(policy=s1, month=MARCH, agents=[], outcomes=run_month(s1), pool=Decimal(1))


def run_month(policy, facts=(), agents=("a",)):
    return month_rules_apply(policy=policy, facts=list(facts), month=MARCH, agents=list(agents))


def test_probation_pay_has_no_bonus_and_no_guarantee():
    policy = load_preset("taobao-s4-standard")
    outcome = run_month(policy)
    [slip] = payslips_compute(
        policy=policy,
        month=MARCH,
        agents=[AgentMonth("a", "junior", on_probation=True, personal_sales=Decimal(90000))],
        outcomes=outcome,
    )
    assert [(line.code, line.amount) for line in slip.lines] == [("probation", Decimal(1600))]
    assert slip.lines[0].explanation == ("试用期工资¥1600/月，无奖金（S4.5 二(二)（借用））")


def test_withheld_pay_needs_the_recommendation_and_the_supervisor():
    policy = load_preset("taobao-s4-fines")
    facts = [fact("a", "handover_missing", d(day), id=f"h{day}") for day in (2, 3, 4, 5)]
    outcome = run_month(policy, facts)
    agent = AgentMonth("a", "senior")
    [slip] = payslips_compute(policy=policy, month=MARCH, agents=[agent], outcomes=outcome)
    # Not accepted: the recommendation changes nothing. 2500 guarantee - 30 - 50 - 80.
    assert slip.total == Decimal(2340)
    accepted = AgentMonth("a", "senior", withhold_accepted=True)
    [slip] = payslips_compute(policy=policy, month=MARCH, agents=[accepted], outcomes=outcome)
    assert slip.total == Decimal(0)
    withhold = slip.lines[-1]
    assert (withhold.code, withhold.amount, withhold.fact_ids) == (
        "withhold",
        Decimal(-2340),
        ("h2", "h3", "h4", "h5"),
    )
    assert withhold.explanation == (
        "主管已确认：本月第4次交接本未填写，扣发当月工资¥2340（S4.1 §1 交接）"
    )
    clean = run_month(policy)
    with pytest.raises(ValueError, match="only on a rule's recommendation"):
        payslips_compute(policy=policy, month=MARCH, agents=[accepted], outcomes=clean)


def test_inputs_are_checked():
    policy = load_preset("taobao-s1")
    outcome = run_month(policy)
    with pytest.raises(TypeError, match="not the float"):
        AgentMonth("a", "junior", personal_sales=1000.0)
    with pytest.raises(ValueError, match="no month outcome"):
        payslips_compute(
            policy=policy, month=MARCH, agents=[AgentMonth("x", "junior")], outcomes=outcome
        )
    with pytest.raises(ValueError, match="must be for 2026-04"):
        payslips_compute(policy=policy, month=Month(2026, 4), agents=[], outcomes=outcome)
    with pytest.raises(ValueError, match="has no base pay"):
        payslips_compute(
            policy=policy, month=MARCH, agents=[AgentMonth("a", "veteran")], outcomes=outcome
        )
    points = load_preset("taobao-s4-points")
    with pytest.raises(ValueError, match="department's sales"):
        payslips_compute(
            policy=points,
            month=MARCH,
            agents=[AgentMonth("a", "junior")],
            outcomes=run_month(points),
        )
    with pytest.raises(TypeError, match="not the float"):
        payslips_compute(
            policy=points,
            month=MARCH,
            agents=[AgentMonth("a", "junior")],
            outcomes=run_month(points),
            department_sales=1.5,
        )
