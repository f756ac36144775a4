"""Benchmark of the roster solver on the Curtois & Qu instances and on a 200-agent month.

Run from the repository root:
    .venv/bin/python bench/roster.py [--seconds 60] [--workers 2] [--instances 1-12]
        [--no-reference] [--no-month] [--shipped]

Per instance: our solver (kefu.rota.solver, NRP reader -> the same model as a shop's month)
and a straightforward CPMpy model of the same problem solved by CP-SAT through cpmpy, both with
the same seconds and workers; objectives are re-computed by the independent checker
`nrp_check` and compared with ../shared/data/curtois/best_known.csv. `--shipped` also runs the
nurse-rostering model that ships inside cpmpy (cpmpy.tools.io.nurserostering). Then a synthetic
month: 200 agents, three shifts (one crossing midnight), October 2026 (National Day holidays and
an adjusted working Saturday), built from a policy schedule through `from_policy`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "curtois"
sys.path.insert(0, str(ROOT))

from kefu.rota.solver.calendar import weekend_pairs  # noqa: E402
from kefu.rota.solver.nrp import nrp_check, read_nrp  # noqa: E402
from kefu.rota.solver.problem import RosterProblem  # noqa: E402
from kefu.rota.solver.solve import solve  # noqa: E402


def cpmpy_reference(problem: RosterProblem, seconds: float, workers: int) -> dict[str, Any]:
    """A straightforward CPMpy model: one integer per (agent, day), 0 = off, s + 1 = shift s;
    rules as the benchmark states them (runs touching the horizon's edges exempt)."""
    import cpmpy as cp  # type: ignore[import-untyped]

    n, horizon = len(problem.agents), len(problem.days)
    keys = [s.key for s in problem.shifts]
    code = {key: k + 1 for k, key in enumerate(keys)}
    length = cp.cpm_array([0] + [s.minutes for s in problem.shifts])
    x = cp.intvar(0, len(keys), shape=(n, horizon), name="x")
    model = cp.Model()
    day_of = {day: d for d, day in enumerate(problem.days)}
    for a, agent in enumerate(problem.agents):
        row = x[a]
        for day in agent.leave:
            model += row[day_of[day]] == 0
        for key, most in agent.max_shifts.items():
            model += cp.Count(row, code[key]) <= most
        minutes = cp.sum([length[row[d]] for d in range(horizon)])
        model += minutes >= agent.min_minutes
        if agent.max_minutes is not None:
            model += minutes <= agent.max_minutes
        if agent.max_consecutive_days is not None:
            most = agent.max_consecutive_days
            for d in range(horizon - most):
                model += cp.Count(row[d : d + most + 1], 0) >= 1
        for d in range(1, horizon):
            starts_work = (row[d - 1] == 0) & (row[d] != 0)
            model += starts_work.implies(cp.all(row[d : d + agent.min_consecutive_days] != 0))
            starts_rest = (row[d - 1] != 0) & (row[d] == 0)
            model += starts_rest.implies(cp.all(row[d : d + agent.min_consecutive_days_off] == 0))
        if agent.max_weekends is not None:
            pairs = weekend_pairs(problem.days)
            model += (
                cp.sum([cp.any([row[d] != 0 for d in pair]) for pair in pairs])
                <= agent.max_weekends
            )
        for first, second in problem.forbidden_successions:
            for d in range(horizon - 1):
                model += (row[d] == code[first]).implies(row[d + 1] != code[second])
    objective = 0
    for a, agent in enumerate(problem.agents):
        for request in agent.requests:
            cell = x[a, day_of[request.day]]
            worked = cell != 0 if request.shift is None else cell == code[request.shift]
            objective += request.weight * (~worked if request.on else worked)
    for cover in problem.cover:
        count = cp.Count(x[:, day_of[cover.day]], code[cover.shift])
        under, over = cp.intvar(0, n, shape=2)
        model += count + under - over == cover.preferred
        objective += cover.under_weight * under + cover.over_weight * over
    model.minimize(objective)
    started = time.perf_counter()
    model.solve(solver="ortools", time_limit=seconds, num_workers=workers)
    elapsed = time.perf_counter() - started
    roster = {}
    if x.value() is not None:
        for a, agent in enumerate(problem.agents):
            for d, day in enumerate(problem.days):
                value = int(x[a, d].value())
                roster[agent.id, day] = keys[value - 1] if value else None
    return {"roster": roster, "seconds": elapsed, "status": model.status().exitstatus.name}


def cpmpy_shipped(path: Path, seconds: float, workers: int) -> dict[str, Any]:
    """The nurse-rostering model that ships with cpmpy, on the same file."""
    from cpmpy.tools.io.nurserostering import (  # type: ignore[import-untyped]
        load_nurserostering,
    )

    model = load_nurserostering(str(path))
    started = time.perf_counter()
    model.solve(solver="ortools", time_limit=seconds, num_workers=workers)
    value = model.objective_value()
    return {
        "objective": None if value is None else int(value),
        "seconds": time.perf_counter() - started,
        "status": model.status().exitstatus.name,
    }


def instances(text: str) -> list[int]:
    chosen: list[int] = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        chosen.extend(range(int(low), int(high or low) + 1))
    return chosen


def best_known() -> dict[str, int]:
    path = DATA / "best_known.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["instance"]: int(row["best_known_solution"]) for row in csv.DictReader(handle)}


def gap(value: int | None, best: int) -> str:
    return "-" if value is None else f"{100 * (value - best) / best:.2f}%"


def run_instance(index: int, args: argparse.Namespace, known: dict[str, int]) -> list[str]:
    path = DATA / f"Instance{index}.txt"
    problem = read_nrp(path, time_limit_seconds=args.seconds)
    best = known[f"Instance{index}"]
    ours = solve(problem, workers=args.workers, seed=0)
    objective, violations = nrp_check(problem, ours.assignment)
    assert not violations, violations[:5]
    assert objective == ours.objective, (objective, ours.objective)
    row = [
        f"Instance{index}",
        str(best),
        str(objective),
        gap(objective, best),
        ours.status.value,
        f"{ours.best_bound:.0f}" if ours.best_bound is not None else "-",
        f"{ours.seconds:.1f}",
    ]
    if args.reference:
        ref = cpmpy_reference(problem, args.seconds, args.workers)
        ref_objective = None
        if ref["roster"]:
            ref_objective, ref_violations = nrp_check(problem, ref["roster"])
            assert not ref_violations, ref_violations[:5]
        row += [
            str(ref_objective),
            gap(ref_objective, best),
            ref["status"],
            f"{ref['seconds']:.1f}",
        ]
    if args.shipped:
        shipped = cpmpy_shipped(path, args.seconds, args.workers)
        row += [
            str(shipped["objective"]),
            gap(shipped["objective"], best),
            f"{shipped['seconds']:.1f}",
        ]
    return row


def month_problem(agents: int = 200, seed: int = 2026) -> RosterProblem:
    """October 2026 for `agents` agents under a three-shift policy (one crosses midnight)."""
    from kefu.policy.schema.schedule import Schedule
    from kefu.rota.solver.from_policy import AgentInput, problem_from_policy
    from kefu.rota.solver.problem import Request

    clause = "bench"
    schedule = Schedule.model_validate(
        {
            "online_hours": {
                "start": "08:00",
                "end": "01:00",
                "crosses_midnight": True,
                "clause": clause,
            },
            "shifts": {
                "day": {"label": "白班", "parts": [["08:00", "17:30"]], "clause": clause},
                "late": {
                    "label": "晚班",
                    "parts": [["15:30", "24:00"]],
                    "night": True,
                    "clause": clause,
                },
                "night": {
                    "label": "夜班",
                    "parts": [["16:00", "01:00"]],
                    "crosses_midnight": True,
                    "night": True,
                    "clause": clause,
                },
            },
            "rest": {"days_per_month": 4, "clause": clause},
            "rules": [
                {
                    "rule": "no_shift_after",
                    "shift": "night",
                    "next_day_forbidden": ["day"],
                    "clause": clause,
                },
                {
                    "rule": "no_shift_after",
                    "shift": "late",
                    "next_day_forbidden": ["day"],
                    "clause": clause,
                },
                {"rule": "max_consecutive_days", "days": 7, "clause": clause},
                {"rule": "whole_day_off", "min_per_month": 1, "clause": clause},
                {"rule": "balance_hours", "weight": 10, "clause": clause},
                {"rule": "stability", "weight": 5, "clause": clause},
                {"rule": "preferences", "weight": 1, "clause": clause},
                {"rule": "fair_weekends", "weight": 3, "include_holidays": True, "clause": clause},
                {"rule": "solver_time_limit", "seconds": 60, "clause": clause},
            ],
            "coverage": {
                "weekday": {"day": 60, "late": 50, "night": 40},
                "weekend": {"day": 50, "late": 45, "night": 35},
                "holiday": {"day": 45, "late": 40, "night": 30},
                "clause": clause,
            },
            "requests": {"clause": clause},
        }
    )
    rng = random.Random(seed)
    october = [dt.date(2026, 10, d) for d in range(1, 32)]
    september = [dt.date(2026, 9, d) for d in range(1, 31)]
    team = []
    for i in range(agents):
        group = ("day", "late", "night")[i % 3]
        rest = set(rng.sample(range(30), 4))
        previous = {day: (None if k in rest else group) for k, day in enumerate(september)}
        leave = frozenset(rng.sample(october, rng.randint(1, 3))) if i % 10 == 0 else frozenset()
        wishes = tuple(
            Request(rng.choice(october), rng.choice([None, "day"]), on=False)
            for _ in range(rng.randint(0, 2))
        )
        team.append(
            AgentInput(
                id=f"a{i:03d}",
                name=f"客服{i:03d}",
                leave=leave,
                preferences=wishes,
                previous=previous,
            )
        )
    return problem_from_policy(schedule, 2026, 10, team)


def run_month(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    problem = month_problem()
    built = time.perf_counter() - started
    solution = solve(problem, workers=args.workers, time_limit_seconds=args.seconds)
    size = f"{len(problem.agents)} agents x {len(problem.days)} days x {len(problem.shifts)} shifts"
    bound = "-" if solution.best_bound is None else f"{solution.best_bound:.0f}"
    print(
        f"\nmonth: {size}, problem built in {built:.1f} s; status {solution.status.value}, "
        f"objective {solution.objective}, bound {bound}, {solution.seconds:.1f} s"
    )
    for name, (count, weight, cost) in solution.penalties.items():
        print(f"  {name}: {count} x {weight} = {cost}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--instances", default="1-12")
    parser.add_argument("--no-reference", dest="reference", action="store_false")
    parser.add_argument("--no-month", dest="month", action="store_false")
    parser.add_argument("--shipped", action="store_true")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"nproc {os.cpu_count()}, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    header = ["instance", "best known", "ours", "gap", "status", "bound", "s"]
    if args.reference:
        header += ["cpmpy", "gap", "status", "s"]
    if args.shipped:
        header += ["cpmpy shipped", "gap", "s"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    known = best_known()
    for index in instances(args.instances):
        print("| " + " | ".join(run_instance(index, args, known)) + " |", flush=True)
    if args.month:
        run_month(args)
    load = os.getloadavg()
    print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
