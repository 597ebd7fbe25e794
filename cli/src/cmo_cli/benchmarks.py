"""`cmo bench`: every benchmark under `bench/` at three sizes, written up as a table and a chart."""

import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib import pyplot
from matplotlib.ticker import FuncFormatter, NullFormatter

pyplot.rcParams["svg.fonttype"] = "none"  # titles and labels stay text a reader can search


_HANDS_MEASURE = re.compile(r"^\s+main\(measure\b", re.MULTILINE)


@dataclass(frozen=True)
class Figure:
    """One measured cost of ours and of the raw baseline doing the same work, in one run.

    Benchmarks make them (`bench/harness.py`) and hand them over as JSON; this reads them back.
    """

    benchmark: str
    measure: str
    n: int
    unit: str
    ours_s: float
    raw_s: float
    goal: float | None = None
    items: int = 0  # how many `unit`s the times cover, when not N (e.g. requests at N members)

    @property
    def per_item(self) -> int:
        """The count the cost per item divides by (N unless the figure says otherwise)."""
        return self.items or self.n

    @property
    def ratio(self) -> float:
        """Our time over the raw baseline's (1.0: as fast as raw; lower is better)."""
        return self.ours_s / self.raw_s

    @property
    def verdict(self) -> str:
        """Whether the goal is met ('' when there is none)."""
        if self.goal is None:
            return ""
        return "met" if self.ratio <= self.goal else "not met"


def discovered(root: Path) -> list[str]:
    """Benchmark modules: every `bench/*.py` whose `__main__` hands its `measure` to the harness."""
    return sorted(
        path.stem
        for path in (root / "bench").glob("*.py")
        if _HANDS_MEASURE.search(path.read_text(encoding="utf-8"))
    )


def run(
    root: Path,
    names: Sequence[str],
    *,
    quick: bool,
    sizes: Sequence[int],
    echo: Callable[[str], None],
) -> tuple[list[Figure], list[str]]:
    """Run each benchmark in its own process; its figures, and the names of those that failed."""
    rows: list[Figure] = []
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            out = Path(folder) / f"{name}.json"
            command = [sys.executable, "-m", f"bench.{name}", *map(str, sizes), "--json", str(out)]
            if quick and not sizes:
                command.append("--quick")
            echo(f"== {name}: {' '.join(command[1:])}")
            if subprocess.call(command, cwd=root) != 0 or not out.exists():
                failed.append(name)
                continue
            rows.extend(Figure(**figure) for figure in json.loads(out.read_text()))
    return rows, failed


def commit(root: Path) -> str:
    """The commit measured, and whether the work tree differed from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head} (with uncommitted changes)" if git("status", "--porcelain") else head


def _infrastructure() -> str:
    if os.environ.get("CMO_KAFKA_BOOTSTRAP") and os.environ.get("CMO_MONGODB_URL"):
        return "external Kafka and MongoDB-wire server (`CMO_KAFKA_BOOTSTRAP`, `CMO_MONGODB_URL`)"
    return "a fresh local Kafka 4 and FerretDB 1.24 (SQLite) for each size"


def report(
    rows: Sequence[Figure],
    commit: str,
    *,
    quick: bool,
    chart_name: str,
    failed: Sequence[str] = (),
) -> str:
    """`docs/benchmarks.md`: the machine, the date, the commit, the figures and their growth.

    Benchmarks that failed are named, so that a reader does not take their absence for none.
    """
    lines = [
        "# Benchmarks",
        "",
        "Written by `cmo bench" + (" --quick" if quick else "") + "`; each ratio is our time over "
        "a raw baseline doing the same work, measured in the same run (lower is better; 1.0 is "
        "as fast as raw). A goal is the highest ratio accepted. Cost per item at three sizes "
        "shows whether it stays flat as N grows.",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- commit: {commit}",
        f"- machine: {os.cpu_count()} cores, {platform.machine()}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}",
        f"- infrastructure: {_infrastructure()}",
        *(
            [f"- failed, no figures (see the command's output): {', '.join(failed)}"]
            if failed
            else []
        ),
        "",
        "| benchmark | measure | N | ours s | raw s | ratio | goal | | item | ours ms/item | "
        "raw ms/item |",
        "|---|---|---:|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for r in sorted(rows, key=lambda r: (r.benchmark, r.measure, r.n)):
        goal = "" if r.goal is None else f"≤ {r.goal:g}"
        lines.append(
            f"| {r.benchmark} | {r.measure} | {r.n:,} | {r.ours_s:.3f} | {r.raw_s:.3f} | "
            f"{r.ratio:.2f} | {goal} | {r.verdict} | {r.unit} | "
            f"{r.ours_s / r.per_item * 1e3:.3f} | {r.raw_s / r.per_item * 1e3:.3f} |"
        )
    lines += ["", "Growth of the cost per item from the smallest to the largest N:", ""]
    lines += ["| benchmark | measure | N | ours | raw |", "|---|---|---|---:|---:|"]
    for (benchmark, measure), series in _series(rows).items():
        if len(series) > 1:
            first, last = series[0], series[-1]
            lines.append(
                f"| {benchmark} | {measure} | {first.n:,} → {last.n:,} | "
                f"x {(last.ours_s / last.per_item) / (first.ours_s / first.per_item):.2f} | "
                f"x {(last.raw_s / last.per_item) / (first.raw_s / first.per_item):.2f} |"
            )
    lines += ["", f"![cost per item against N]({chart_name})", ""]
    return "\n".join(lines)


def _series(rows: Sequence[Figure]) -> dict[tuple[str, str], list[Figure]]:
    series: dict[tuple[str, str], list[Figure]] = {}
    for r in sorted(rows, key=lambda r: (r.benchmark, r.measure, r.n)):
        series.setdefault((r.benchmark, r.measure), []).append(r)
    return series


def chart(rows: Sequence[Figure], path: Path) -> None:
    """An SVG of cost per item (ms, from 0) against N (log scale), ours and raw, a panel each."""
    series = _series(rows)
    columns = 2
    panels = max(len(series), 1)
    figure, axes = pyplot.subplots(
        (panels + columns - 1) // columns, columns, figsize=(11, 3.2 * ((panels + 1) // 2))
    )
    flat = list(axes.flat) if hasattr(axes, "flat") else [axes]
    for ax, ((benchmark, measure), points) in zip(flat, series.items(), strict=False):
        n = [p.n for p in points]
        ax.plot(n, [p.ours_s / p.per_item * 1e3 for p in points], "o-", label="ours")
        ax.plot(n, [p.raw_s / p.per_item * 1e3 for p in points], "s--", label="raw baseline")
        ax.set_xscale("log")  # N grows by factors; a flat line is a cost that stays linear
        ax.set_xticks(n)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_ylim(bottom=0)
        ax.set_title(f"{benchmark}: {measure}", fontsize=9)
        ax.set_xlabel("N", fontsize=8)
        ax.set_ylabel(f"ms per {points[0].unit}", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    for ax in flat[len(series) :]:
        ax.set_visible(False)
    figure.tight_layout()
    figure.savefig(path, format="svg", metadata={"Date": None})
    pyplot.close(figure)
