#!/usr/bin/env python3
"""Writes a generated incident log with N events (default 10,000) to stdout, for the report
benchmark in docs/benchmarks.md. Deterministic (seeded): 12 services, a status change on
about 30% of events, every 7th event internal, Markdown in every text, all six phases."""
import random
import sys
random.seed(11)
n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
services = [f"svc-{i:02d}" for i in range(12)]
statuses = ["degraded_performance", "partial_outage", "major_outage", "operational"]
out = ["title: Generated benchmark incident", "severity: SEV2", "status: resolved", "timezone: Europe/Berlin",
       "services: [" + ", ".join(services) + "]", "summary: |", "  A generated incident with **many** events.", "timeline:"]
from datetime import datetime, timedelta
t = datetime(2026, 1, 5, 8, 0)
cur = {s: "operational" for s in services}
phases = {0: "started", n // 10: "detected", n // 5: "acknowledged", n // 3: "identified", n // 2: "mitigated", n - 1: "resolved"}
for i in range(n):
    out.append(f"  - id: e{i}")
    out.append(f"    at: {t:%Y-%m-%d %H:%M:%S}")
    if i in phases:
        out.append(f"    phase: {phases[i]}")
    if i == n - 1:
        changes = {s: "operational" for s in services if cur[s] != "operational"}
    elif random.random() < 0.3:
        s = random.choice(services); changes = {s: random.choice(statuses)}
    else:
        changes = {}
    if changes:
        out.append("    status:")
        for s, st in changes.items():
            out.append(f"      {s}: {st}"); cur[s] = st
    if i % 7 == 3:
        out.append("    internal: true")
    out.append(f"    text: Event number {i}, with `code`, **bold** and a [link](https://example.com/{i}).")
    t += timedelta(seconds=random.randint(5, 40))
print("\n".join(out))
