"""Benchmark of the ledger, as ratios against ceilings measured in the same run.

Usage: scripts/bench [--quick] [--full] [--parts ...] [--view-rows ...] [--views ...]

It prints a markdown table and never fails on a figure: machines here are noisy, so every
figure stands beside a ceiling measured on the same database in the same run.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from ledger.application import LedgerApp
from ledger.config import Settings
from ledger.store.database import DatabaseAddress
from ledger.store.master_key import generate_master_key_file
from ledger.store.provision import init_schema
from ledger.store.scratch import create_database, drop_database, scratch_server
from scripts.bench_core import core_rows
from scripts.bench_data import generate_ledger
from scripts.bench_exports import export_rows
from scripts.bench_http import CLIENTS, http_rows
from scripts.bench_imports import import_rows
from scripts.bench_pages import page_rows
from scripts.bench_table import Row, print_table
from scripts.bench_tree import tree_rows
from scripts.bench_views import (
    LIVE_RATE,
    VIEW_ROWS,
    Lag,
    Rebuilds,
    live_lag,
    peak_rebuild_memory_mb,
    rebuilds,
)


def http_table(address: DatabaseAddress, settings: Settings, quick: bool) -> list[Row]:
    ledger = LedgerApp(address, replace(settings, pool_size=CLIENTS * 2 + 2))
    try:
        results = http_rows(ledger, settings, quick)
    finally:
        ledger.close()
    rows = []
    for kind in ("writes", "reads"):
        direct, http = results[f"direct {kind}"], results[f"http {kind}"]
        what = "measurement writes" if kind == "writes" else "scorecard reads"
        goal = ">= 60%" if kind == "writes" else "-"
        rows.append(
            Row(
                f"{what}, called directly ({CLIENTS} threads)",
                direct.rate,
                "req/s",
                "-",
                "ceiling",
                "-",
            )
        )
        rows.append(
            Row(
                f"{what} over HTTP ({CLIENTS} clients, loopback)",
                http.rate,
                "req/s",
                "direct",
                f"{http.rate / direct.rate:.0%}",
                goal,
            )
        )
        rows.append(
            Row(
                f"{what} over HTTP, p50 / p99 latency",
                http.p99_ms,
                "ms (p99)",
                f"p50 {http.p50_ms:.1f} ms",
                "-",
                "p99 < 20 ms" if kind == "reads" else "-",
            )
        )
    return rows


def views_table(
    server: DatabaseAddress,
    settings: Settings,
    events: int,
    parts: Collection[str] = VIEW_ROWS,
    names: Collection[str] | None = None,
) -> list[Row]:
    address = create_database(server, "ledger_bench_views")
    lag = None
    try:
        init_schema(address, settings)
        app = LedgerApp(address, settings)
        try:
            generate_ledger(app, events)
            chosen = names if "each" in parts else ()
            result = rebuilds(app, chosen, together="together" in parts)
            if "lag" in parts:
                lag = live_lag(app, address, [f"G{n:06d}" for n in range(20)])
        finally:
            app.close()
        memory = peak_rebuild_memory_mb(address) if "memory" in parts else None
    finally:
        drop_database(server, address)
    return rebuild_rows(result) + lag_rows(lag) + memory_rows(memory, result.events)


def rebuild_rows(result: Rebuilds) -> list[Row]:
    rows = [
        Row(
            f"read and decode {result.events:,} events, no projection work",
            result.decode_rate,
            "events/s",
            "-",
            "ceiling",
            "-",
        )
    ]
    ratio = result.decode_rate
    if result.all_rate is not None:
        rows.append(
            Row(
                "rebuild of all views, one after another",
                result.all_rate,
                "events/s",
                "decode",
                f"{result.all_rate / ratio:.0%}",
                "-",
            )
        )
    if result.together_rate is not None:
        rows.append(
            Row(
                "rebuild of all views together (one read)",
                result.together_rate,
                "events/s",
                "decode",
                f"{result.together_rate / ratio:.0%}",
                ">= 50%",
            )
        )
    rows += [
        Row(f"rebuild of view {name}", rate, "events/s", "decode", f"{rate / ratio:.0%}", ">= 50%")
        for name, rate in result.view_rates.items()
    ]
    return rows


def lag_rows(lag: Lag | None) -> list[Row]:
    if lag is None:
        return []
    what = (
        f"live lag, save to scorecards ({LIVE_RATE} writes/s asked, {lag.rate:.0f} achieved;"
        f" plans of {lag.plan_size:,}+ measurements;"
    )
    return [
        Row(f"{what} p50)", lag.p50_ms, "ms", "-", "-", "-"),
        Row(f"{what} p99)", lag.p99_ms, "ms", "-", "-", "< 100 ms"),
    ]


def memory_rows(memory: float | None, events: int) -> list[Row]:
    if memory is None:
        return []
    return [
        Row(
            f"peak memory of a rebuild of all views together over {events:,} events",
            memory,
            "MB",
            "-",
            "-",
            "< 300 MB (1,000,000 events)",
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument(
        "--full",
        action="store_true",
        help="1,000,000 events for the read models and the proofs (slow)",
    )
    parser.add_argument(
        "--parts",
        default="core,http,views,imports,exports,pages,tree",
        help="which parts: core, http, views, imports, exports, pages, tree",
    )
    parser.add_argument(
        "--view-rows",
        default=",".join(VIEW_ROWS),
        help="which read-model rows: " + ", ".join(VIEW_ROWS),
    )
    parser.add_argument(
        "--views", default="", help="the views to rebuild one by one (default: all)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        key = Path(folder) / "master-key"
        generate_master_key_file(key)
        os.environ["LEDGER_MASTER_KEY"] = str(key)
        settings = Settings(pool_size=2, max_overflow=2, master_key=key)
        server = scratch_server(Path(folder))
        address = create_database(server, "ledger_bench")
        try:
            init_schema(address, settings)
            parts = set(args.parts.split(","))
            rows: list[Row] = []
            try:
                measured_parts(rows, parts, args, server, address, settings)
            finally:
                print_table(rows)
        finally:
            drop_database(server, address)


def measured_parts(
    rows: list[Row],
    parts: set[str],
    args: argparse.Namespace,
    server: DatabaseAddress,
    address: DatabaseAddress,
    settings: Settings,
) -> None:
    """Adds the rows of each part asked for, in order: a part that fails leaves the rows
    measured before it to be printed."""
    events = 1_000_000 if args.full else 20_000 if args.quick else 200_000
    if "core" in parts:
        rows += core_rows(address, settings, args.quick)
    if "http" in parts:
        rows += http_table(address, settings, args.quick)
    if "views" in parts:
        view_rows = set(args.view_rows.split(","))
        names = [name for name in args.views.split(",") if name] or None
        rows += views_table(server, settings, events, view_rows, names)
    if "imports" in parts:
        rows += import_rows(server, settings, args.quick)
    if "exports" in parts:
        rows += export_rows(server, settings, args.quick)
    if "pages" in parts:
        rows += page_rows(server, settings, args.quick)
    if "tree" in parts:
        rows += tree_rows(server, settings, args.quick, events)


if __name__ == "__main__":
    main()
