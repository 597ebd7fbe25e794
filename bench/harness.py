"""What every benchmark shares: a figure against its raw baseline, sizes, growth and output.

A benchmark module defines `async def measure(n, bootstrap, mongodb_url) -> list[Figure]`
and ends with `main(measure, sizes=..., quick=...)`. Run as
`python -m bench.<name> [N ...] [--quick] [--json FILE]`: it measures at every size, each on
a fresh Kafka and database of its own (or on `CMO_KAFKA_BOOTSTRAP` and `CMO_MONGODB_URL`),
prints a growth table (cost per item at each N, so a reader sees whether it stays flat) and,
with `--json`, writes the figures for `cmo bench`.
"""

import argparse
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from cmo_cli.benchmarks import Figure

from bench.local_infra import run_with_infra

Measure = Callable[[int, str, str], Awaitable[list[Figure]]]


def growth_table(figures: Sequence[Figure]) -> str:
    """The figures as a text table with the cost per item, one row per measure and size."""
    lines = [
        f"{'measure':<44}{'N':>8}{'ours s':>10}{'raw s':>9}{'ratio':>7}{'goal':>7}"
        f"{'ours µs/item':>14}{'raw µs/item':>13}"
    ]
    for f in sorted(figures, key=lambda f: (f.measure, f.n)):
        goal = "" if f.goal is None else f"≤{f.goal:g}"
        lines.append(
            f"{f.measure:<44}{f.n:>8}{f.ours_s:>10.2f}{f.raw_s:>9.2f}{f.ratio:>7.2f}{goal:>7}"
            f"{f.ours_s / f.per_item * 1e6:>14.0f}{f.raw_s / f.per_item * 1e6:>13.0f}"
        )
    return "\n".join(lines)


def main(measure: Measure, *, sizes: Sequence[int], quick: Sequence[int]) -> None:
    """The command line of a benchmark: measure at each size, print the growth, write JSON."""
    parser = argparse.ArgumentParser(description=(measure.__module__ or "").split(".")[-1])
    parser.add_argument("sizes", nargs="*", type=int, help=f"sizes N (default {list(sizes)})")
    parser.add_argument("--quick", action="store_true", help=f"the quick sizes {list(quick)}")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    chosen = args.sizes or (quick if args.quick else sizes)
    figures: list[Figure] = []
    for n in chosen:  # a fresh local Kafka and database for each size, so none sees another's

        async def one_size(bootstrap: str, mongodb_url: str, n: int = n) -> None:
            figures.extend(await measure(n, bootstrap, mongodb_url))

        run_with_infra(one_size)
    print()
    print(growth_table(figures))
    if args.json:
        args.json.write_text(json.dumps([asdict(f) for f in figures], indent=2))
