"""Benchmark of the demo traffic generator: messages/s and peak memory at scale 1, 10 and 100.

Run from the repository root:
    .venv/bin/python bench/demo_traffic.py [scale ...] [--exports] [--repeat N]

Each scale runs in a fresh child process so that the peak memory (ru_maxrss) is that scale's
own; generation is timed as the best of N runs (default 3) because the machine may be shared.
With --exports the three platform files are written to a temporary folder and timed once.
If ../shared/data/ecd_taobao/ECD_sample_train.tsv exists, a second scale-1 run mixes real
Taobao buyer/agent utterances into the phrase book (they are read at run time, never shipped).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ECD = ROOT.parent / "shared" / "data" / "ecd_taobao" / "ECD_sample_train.tsv"


def run_one(scale: float, exports: bool, corpus: bool, repeat: int) -> dict[str, float | int | str]:
    sys.path.insert(0, str(ROOT))
    from kefu.demo.traffic import Traffic, generate_month
    from kefu.demo.traffic.exports import write_pdd_orders, write_qianniu_chat, write_taobao_orders
    from kefu.demo.traffic.phrases import PhraseBook, load_ecd_utterances
    from kefu.demo.traffic.profiles import demo_profile

    profile = demo_profile(scale=scale)
    if corpus:
        buyer, agent = load_ecd_utterances(ECD)
        profile = replace(profile, phrases=PhraseBook().with_corpus(buyer, agent))
    seconds = float("inf")
    traffic: Traffic | None = None
    for _ in range(repeat):  # best of `repeat`: the machine may be shared
        traffic = None  # drop the previous month first, so the peak memory is one month's
        started = time.perf_counter()
        traffic = generate_month(profile)
        seconds = min(seconds, time.perf_counter() - started)
    assert traffic is not None
    result: dict[str, float | int | str] = {
        "scale": scale,
        "phrases": "builtin+ECD" if corpus else "builtin",
        "sessions": traffic.sessions.height,
        "messages": traffic.messages.height,
        "orders": traffic.orders.height,
        "generate_s": round(seconds, 2),
        "messages_per_s": round(traffic.messages.height / seconds),
    }
    if exports:
        with tempfile.TemporaryDirectory() as tmp:
            for name, writer in (
                ("qianniu", write_qianniu_chat),
                ("taobao", write_taobao_orders),
                ("pdd", write_pdd_orders),
            ):
                path = Path(tmp) / name
                started = time.perf_counter()
                writer(traffic, path)
                result[f"{name}_s"] = round(time.perf_counter() - started, 2)
                result[f"{name}_MB"] = round(path.stat().st_size / 2**20, 1)
    # Linux reports ru_maxrss in KiB.
    result["peak_rss_MB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scales", nargs="*", type=float, default=[1.0, 10.0, 100.0])
    parser.add_argument("--exports", action="store_true", help="also time the three writers")
    parser.add_argument("--repeat", type=int, default=3, help="generation runs; the best counts")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.scales[0], args.exports, args.corpus, args.repeat)))
        return
    runs = [(s, False) for s in args.scales]
    if ECD.exists():
        runs.append((1.0, True))
    for scale, corpus in runs:
        cmd = [sys.executable, __file__, str(scale), "--child", "--repeat", str(args.repeat)]
        cmd += ["--exports"] if args.exports else []
        cmd += ["--corpus"] if corpus else []
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        row = json.loads(out)
        print("  ".join(f"{k}={v}" for k, v in row.items()), flush=True)


if __name__ == "__main__":
    main()
