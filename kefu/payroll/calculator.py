"""The pay calculator: one month's payslips from the policy, the month rules' outcomes and the
awards. Money is `Decimal` only (a float raises); every line cites its clause. Pure: no Django.

The work is in `kefu.payroll.calc`: `commission` (flat and progressive commission, rounding)
and `payslip` (the lines of a payslip and the order they are computed in)."""

from kefu.payroll.calc.commission import (
    TierPart,
    commission_compute,
    progressive_commission,
    round_pay,
)
from kefu.payroll.calc.payslip import AgentMonth, PayLine, Payslip, payslips_compute
from kefu.performance.engine import split_exact

__all__ = [
    "AgentMonth",
    "PayLine",
    "Payslip",
    "TierPart",
    "commission_compute",
    "payslips_compute",
    "progressive_commission",
    "round_pay",
    "split_exact",
]
