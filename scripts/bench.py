"""Benchmark: trains, starts the servers and replays scripted Dutch conversations over REST.

For the shipped configuration and a baseline (Rasa's default pipeline and policies, trained on
the same data) it measures training time, startup time until the first answer, per-message
latency (p50/p95/p99), throughput, errors and the peak resident memory of Rasa and the action
server, at 1, 10 and 50 concurrent conversations, once with a 1 s pause between a reply and the
next message (realistic) and once without (peak). With the pause, the conversations start spread
over the first second, as people do; started at the same instant, identical scripts with equal
pauses stay in lock-step and every message waits behind all the others of its wave. Also the CPU
time Rasa and the action server spend per message (what bounds throughput on a small machine).
Last, the shipped model as two Rasa instances behind nginx on this same machine (the scale-out
topology of deploy/, tests/scale_out.py), without pauses.
Writes reports/bench.json and reports/bench.md.

    .venv/bin/python scripts/bench.py            # what `make bench` runs
    .venv/bin/python scripts/bench.py --quick    # 1 and 10 conversations, no baseline
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import aiohttp
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conversations import SCRIPTS  # noqa: E402
from tests.scale_out import start_scale_out  # noqa: E402
from tests.servers import BIN, sqlite_url, start_servers  # noqa: E402

CONFIGS = {"shipped": ROOT / "config.yml", "baseline": ROOT / "config_default.yml"}
TARGETS = {
    "p95_ms_at_10_with_pause": 150,
    "peak_messages_per_second": 40,
    "peak_messages_per_second_2_instances": 40,
    "training_seconds": 180,
    "startup_seconds": 30,
    "rasa_rss_mb": 1200,
}


@dataclass
class LoadResult:
    conversations: int
    pause_s: float
    messages: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    messages_per_second: float
    cpu_ms_per_message: dict[str, float] = field(default_factory=dict)


@dataclass
class ConfigResult:
    name: str
    config: str
    training_seconds: float
    startup_seconds: float
    peak_rss_mb: dict[str, float] = field(default_factory=dict)
    loads: list[LoadResult] = field(default_factory=list)


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of ``values`` (milliseconds)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def train(config: Path, out: Path) -> float:
    """Trains a model with ``config`` into ``out`` from a cold (empty) cache; returns the seconds it took."""
    command = [
        str(BIN / "rasa"),
        "train",
        "--config",
        str(config),
        "--domain",
        "domain.yml",
        "--data",
        "data",
    ]
    command += ["--out", str(out), "--fixed-model-name", "bench"]
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(out / "cache")}
    started = time.monotonic()
    subprocess.run(
        command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.monotonic() - started


def cpu_seconds(pids: dict[str, int]) -> dict[str, float]:
    """CPU time (user + system) used so far by each process and its children."""
    used = {}
    for name, pid in pids.items():
        process = psutil.Process(pid)
        total = 0.0
        for member in (process, *process.children(recursive=True)):
            times = member.cpu_times()
            total += times.user + times.system
        used[name] = total
    return used


class MemorySampler:
    """Samples the resident memory (with children) of some processes; keeps the peak in MB."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.processes = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.peak = dict.fromkeys(pids, 0.0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self, process: psutil.Process) -> float:
        try:
            family = [process, *process.children(recursive=True)]
            return sum(member.memory_info().rss for member in family) / 2**20
        except psutil.Error:
            return 0.0

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            for name, process in self.processes.items():
                self.peak[name] = max(self.peak[name], self._rss(process))

    @contextmanager
    def running(self) -> Iterator[MemorySampler]:
        self._thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            self._thread.join()


async def converse(
    session: aiohttp.ClientSession, url: str, script: tuple[str, ...], pause: float, start_after: float = 0.0
) -> tuple[list[float], int]:
    """Replays one conversation; returns the latencies (ms) and the number of errors."""
    sender, latencies, errors = f"bench-{uuid.uuid4().hex}", [], 0
    await asyncio.sleep(start_after)
    for message in script:
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": message}) as response:
                replies = await response.json() if response.status == 200 else None
        except (aiohttp.ClientError, asyncio.TimeoutError):
            replies = None
        latencies.append((time.perf_counter() - started) * 1000)
        errors += not replies
        if pause:
            await asyncio.sleep(pause)
    return latencies, errors


async def load(
    rasa_url: str,
    conversations: int,
    pause: float,
    scripts: list[tuple[str, ...]] | None = None,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """``conversations`` scripted conversations at once, round-robin over the scripts (the short
    scripts of tests/conversations.py unless others are given)."""
    scripts = scripts or [SCRIPTS[name] for name in sorted(SCRIPTS)]
    url = f"{rasa_url}/webhooks/rest/webhook"
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector, headers=headers) as session:
        started = time.perf_counter()
        results = await asyncio.gather(
            *(
                converse(
                    session, url, scripts[i % len(scripts)], pause, start_after=i * pause / conversations
                )
                for i in range(conversations)
            )
        )
        seconds = time.perf_counter() - started
    latencies = [latency for result, _ in results for latency in result]
    errors = sum(count for _, count in results)
    return LoadResult(
        conversations=conversations,
        pause_s=pause,
        messages=len(latencies),
        errors=errors,
        seconds=round(seconds, 2),
        p50_ms=round(statistics.median(latencies), 1),
        p95_ms=round(percentile(latencies, 0.95), 1),
        p99_ms=round(percentile(latencies, 0.99), 1),
        messages_per_second=round(len(latencies) / seconds, 1),
    )


def first_answer(rasa_url: str, headers: dict[str, str] | None = None) -> None:
    """Waits until Rasa answers a real message."""
    import requests

    while True:
        response = requests.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={"sender": f"warmup-{uuid.uuid4().hex}", "message": "hallo"},
            headers=headers,
        )
        if response.ok and response.json():
            return
        time.sleep(0.2)


def bench_config(name: str, config: Path, levels: list[int], pause: float, work: Path) -> ConfigResult:
    progress(f"{name}: training with {config.name}")
    training = train(config, work / name)
    progress(f"{name}: trained in {training:.0f} s; starting the servers")
    logs = work / f"{name}-logs"
    logs.mkdir()
    started = time.monotonic()
    with start_servers(logs, sqlite_url(logs), model=work / name / "bench.tar.gz", web=False) as servers:
        first_answer(servers.rasa_url)
        result = ConfigResult(name, config.name, round(training, 1), round(time.monotonic() - started, 1))
        progress(f"{name}: first answer {result.startup_seconds} s after starting the servers")
        sampler = MemorySampler(servers.pids)
        with sampler.running():
            for conversations in levels:
                for wait in (pause, 0.0):
                    before = cpu_seconds(servers.pids)
                    outcome = asyncio.run(load(servers.rasa_url, conversations, wait))
                    after = cpu_seconds(servers.pids)
                    outcome.cpu_ms_per_message = {
                        name: round(1000 * (after[name] - before[name]) / outcome.messages, 1)
                        for name in after
                    }
                    result.loads.append(outcome)
                    progress(
                        f"{name}: {conversations} conversations, pause {wait} s: p95 {outcome.p95_ms} ms, "
                        f"{outcome.messages_per_second} msg/s, {outcome.errors} errors, CPU ms/msg {outcome.cpu_ms_per_message}"
                    )
        result.peak_rss_mb = {key: round(value) for key, value in sampler.peak.items()}
    return result


def bench_two_instances(shipped: ConfigResult, model: Path, levels: list[int], work: Path) -> ConfigResult:
    """The shipped model as two Rasa instances behind nginx on this one machine (deploy/: PostgreSQL
    tracker store, Redis lock store), without pauses: what the scale-out topology adds at the peak."""
    progress("shipped_2_instances: starting PostgreSQL, Redis, the action server, 2 Rasa instances and nginx")
    started = time.monotonic()
    with start_scale_out(work / "two-instances", instances=2, model=model) as topology:
        first_answer(topology.url, topology.rest_headers)
        result = ConfigResult(
            "shipped_2_instances",
            "config.yml, 2 instances behind nginx",
            shipped.training_seconds,
            round(time.monotonic() - started, 1),
        )
        for conversations in levels:
            outcome = asyncio.run(load(topology.url, conversations, 0.0, headers=topology.rest_headers))
            result.loads.append(outcome)
            progress(
                f"shipped_2_instances: {conversations} conversations, no pause: p95 {outcome.p95_ms} ms, "
                f"{outcome.messages_per_second} msg/s, {outcome.errors} errors"
            )
    return result


def find(result: ConfigResult, conversations: int, paused: bool) -> LoadResult | None:
    return next(
        (r for r in result.loads if r.conversations == conversations and (r.pause_s > 0) == paused), None
    )


def peak(result: ConfigResult | None) -> float | None:
    """The highest throughput without pauses and without errors."""
    if result is None:
        return None
    return max((r.messages_per_second for r in result.loads if r.pause_s == 0 and r.errors == 0), default=0.0)


def targets(
    result: ConfigResult, two_instances: ConfigResult | None
) -> dict[str, dict[str, float | bool | None]]:
    """Each target with the measured figure and whether it is met."""
    at_10 = find(result, 10, paused=True)
    measured = {
        "p95_ms_at_10_with_pause": at_10.p95_ms if at_10 else None,
        "peak_messages_per_second": peak(result),
        "peak_messages_per_second_2_instances": peak(two_instances),
        "training_seconds": result.training_seconds,
        "startup_seconds": result.startup_seconds,
        "rasa_rss_mb": result.peak_rss_mb.get("rasa"),
    }
    met = {
        key: None
        if value is None
        else (value >= TARGETS[key] if key.startswith("peak_messages_per_second") else value <= TARGETS[key])
        for key, value in measured.items()
    }
    return {key: {"target": TARGETS[key], "measured": measured[key], "met": met[key]} for key in TARGETS}


def markdown(report: dict) -> str:
    """The Markdown summary: machine, targets, the load table, and ratios to the baseline."""
    shipped = report["results"]["shipped"]
    baseline = report["results"].get("baseline")
    two_instances = report["results"].get("shipped_2_instances")
    lines = [
        "# Benchmark",
        "",
        f"Measured {report['measured_at']} on {report['machine']}. Command: `{report['command']}`.",
        "",
        "| Target | Goal | Measured | Met |",
        "|---|---|---|---|",
    ]
    for key, row in report["targets"].items():
        comparison = "≥" if key.startswith("peak_messages_per_second") else "≤"
        met = {True: "yes", False: "**no**", None: "n/a"}[row["met"]]
        lines.append(f"| {key} | {comparison} {row['target']} | {row['measured']} | {met} |")
    lines += [
        "",
        "| Config | Conversations | Pause | Messages | Errors | p50 ms | p95 ms | p99 ms | msg/s "
        "| CPU ms/msg Rasa | CPU ms/msg actions |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in filter(None, (shipped, baseline, two_instances)):
        for r in result["loads"]:
            lines.append(
                f"| {result['name']} | {r['conversations']} | {r['pause_s']} s | {r['messages']} | {r['errors']} "
                f"| {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['messages_per_second']} "
                f"| {r['cpu_ms_per_message'].get('rasa', 'n/a')} | {r['cpu_ms_per_message'].get('actions', 'n/a')} |"
            )
    lines += [
        "",
        "| Config | Training s | Startup s | Rasa RSS MB | Action server RSS MB |",
        "|---|---|---|---|---|",
    ]
    for result in filter(None, (shipped, baseline)):
        rss = result["peak_rss_mb"]
        lines.append(
            f"| {result['name']} | {result['training_seconds']} | {result['startup_seconds']} "
            f"| {rss.get('rasa')} | {rss.get('actions')} |"
        )
    if report.get("ratios"):
        lines += ["", "Shipped ÷ baseline (below 1 is better for time and memory, above 1 for msg/s):", ""]
        lines += [f"- {key}: {value}" for key, value in report["ratios"].items()]
    return "\n".join(lines) + "\n"


def ratios(shipped: ConfigResult, baseline: ConfigResult) -> dict[str, float | None]:
    def ratio(ours: float | None, theirs: float | None) -> float | None:
        return round(ours / theirs, 2) if ours is not None and theirs else None

    pairs = {
        "training_seconds": (shipped.training_seconds, baseline.training_seconds),
        "startup_seconds": (shipped.startup_seconds, baseline.startup_seconds),
        "rasa_rss_mb": (shipped.peak_rss_mb.get("rasa"), baseline.peak_rss_mb.get("rasa")),
    }
    for ours in shipped.loads:
        theirs = find(baseline, ours.conversations, ours.pause_s > 0)
        key = f"{ours.conversations}_conversations_pause_{ours.pause_s}s"
        pairs[f"p95_ms_{key}"] = (ours.p95_ms, theirs.p95_ms if theirs else None)
        pairs[f"messages_per_second_{key}"] = (
            ours.messages_per_second,
            theirs.messages_per_second if theirs else None,
        )
    return {key: ratio(*pair) for key, pair in pairs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--levels", default="1,10,50", help="concurrent conversations, comma-separated")
    parser.add_argument(
        "--pause", type=float, default=1.0, help="seconds between a reply and the next message"
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the baseline configuration")
    parser.add_argument(
        "--no-two-instances", action="store_true", help="skip the shipped model as 2 instances behind nginx"
    )
    parser.add_argument("--quick", action="store_true", help="1 and 10 conversations, no baseline")
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    args = parser.parse_args()
    levels = [1, 10] if args.quick else [int(level) for level in args.levels.split(",")]
    names = ["shipped"] if args.quick or args.no_baseline else ["shipped", "baseline"]
    with tempfile.TemporaryDirectory(prefix="waardecoach-bench-") as work:
        results = {name: bench_config(name, CONFIGS[name], levels, args.pause, Path(work)) for name in names}
        if not (args.quick or args.no_two_instances):
            model = Path(work) / "shipped" / "bench.tar.gz"
            results["shipped_2_instances"] = bench_two_instances(
                results["shipped"], model, levels, Path(work)
            )
    report = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.node()}, {psutil.cpu_count()} cores, "
        f"{round(psutil.virtual_memory().total / 2**30)} GiB, {platform.platform()}",
        "command": "make bench" if not (args.quick or args.no_baseline) else " ".join(["python", *sys.argv]),
        "targets": targets(results["shipped"], results.get("shipped_2_instances")),
        "results": {name: asdict(result) for name, result in results.items()},
        "ratios": ratios(results["shipped"], results["baseline"]) if "baseline" in results else {},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (args.out / "bench.md").write_text(markdown(report))
    print(markdown(report))
    progress(f"written {args.out / 'bench.json'} and {args.out / 'bench.md'}")


if __name__ == "__main__":
    main()
