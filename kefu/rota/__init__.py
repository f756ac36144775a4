"""Rosters 排班: shifts, rosters, leave and swaps; `solver` is the pure CP-SAT engine."""
