"""`cmo bench` measures a benchmark at each size on real Kafka and FerretDB and writes the
table and the chart a reader opens (read here with a Markdown parser and an XML parser)."""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from cmo_cli.benchmarks import report
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[1]


def _table_rows(markdown: str) -> list[list[str]]:
    tokens = MarkdownIt().enable("table").parse(markdown)
    rows, row = [], None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    return rows


def test_cmo_bench_writes_figures_at_each_size_with_the_machine_and_a_chart(
    tmp_path: Path,
) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("CMO_KAFKA_BOOTSTRAP", "CMO_MONGODB_URL")
    }
    command = [sys.executable, "-m", "cmo_cli.main", "bench", "--only", "pipeline_vs_raw"]
    done = subprocess.run(
        [*command, "--size", "100", "--size", "300", "--out", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    page = (tmp_path / "benchmarks.md").read_text()
    assert f"- machine: {os.cpu_count()} cores" in page
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    assert f"- commit: {commit}" in page
    rows = [r for r in _table_rows(page) if r and r[0] == "pipeline_vs_raw"]
    figures = [r for r in rows if len(r) == 11]
    measures = {"of the events": "≤ 1.25", "of the same rows": ""}  # the second has no goal
    measured = sorted((m, r[2]) for r in figures for m in measures if r[1].endswith(m))
    assert measured == sorted((m, n) for m in measures for n in ("100", "300"))
    for row in figures:
        ours, raw, ratio = float(row[3]), float(row[4]), float(row[5])
        rounding = ratio * (0.0005 / ours + 0.0005 / raw) + 0.005  # seconds to 3 places
        assert ours > 0 and raw > 0 and abs(ratio - ours / raw) <= rounding
        goal = next(g for m, g in measures.items() if row[1].endswith(m))
        assert row[6] == goal and row[8] == "event"
        assert row[7] in (("met", "not met") if goal else ("",))
    growth = [r for r in rows if len(r) == 5]
    assert sorted(g[2] for g in growth) == ["100 → 300", "100 → 300"]
    svg = ET.parse(tmp_path / "benchmarks.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    texts = " ".join("".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert "pipeline_vs_raw" in texts and "raw baseline" in texts


def test_the_page_names_the_benchmarks_that_failed() -> None:
    page = report([], "abc1234", quick=True, chart_name="c.svg", failed=["training_seats"])
    assert "- failed, no figures (see the command's output): training_seats" in page
    assert "failed" not in report([], "abc1234", quick=True, chart_name="c.svg")
