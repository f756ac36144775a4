"""The pay calculator's parts (see kefu.payroll.calculator)."""
