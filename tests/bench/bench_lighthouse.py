"""`make bench` section: Lighthouse on every page, ours beside the bare furo build.

Each page is served over loopback with gzip (gzip_server.py) and audited once by
npm's pinned Lighthouse with its default mobile configuration, one page at a time.
Bytes and requests come from Lighthouse's own network record: raw is what the page's
resources weigh decoded, gzip what went over the wire.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from gzip_server import serve
from run import ROOT, Bench

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
# A page Lighthouse cannot finish within this is a finding too, not a hang.
TIMEOUT_SECONDS = 180
# Lighthouse times the page on this machine's CPU, so a busy machine costs performance
# points. A page below 100 in performance is audited this many times, and its median run counts.
RUNS_BELOW_100 = 3


@dataclass(frozen=True)
class Audit:
    scores: tuple[int, ...]
    raw_bytes: int
    gzip_bytes: int
    requests: int
    foreign_hosts: frozenset[str]
    failing: tuple[str, ...]


def lighthouse(url: str, scratch: Path) -> Audit:
    """Audit one page; keep the scores, the weight and the audits that cost points."""
    report = scratch / "report.json"
    with tempfile.TemporaryDirectory(prefix="profile-", dir=scratch) as profile:
        subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
             f"--chrome-flags={' '.join([*CHROMIUM_FLAGS, f'--user-data-dir={profile}'])}"],
            check=True, timeout=TIMEOUT_SECONDS, env={**os.environ, "CHROME_PATH": CHROMIUM},
        )
    result = json.loads(report.read_text())
    loads = [item for item in result["audits"]["network-requests"]["details"]["items"]
             if urlsplit(item["url"]).scheme in {"http", "https"}]
    categories = [result["categories"][name] for name in CATEGORIES]
    failing = tuple(
        f"{category['id']} {category['score'] * 100:.0f}: {ref['id']} "
        f"{result['audits'][ref['id']].get('displayValue', '')}".rstrip()
        for category in categories if category["score"] < 1
        for ref in category["auditRefs"]
        if ref["weight"] and (result["audits"][ref["id"]]["score"] or 0) < 1
        and result["audits"][ref["id"]]["scoreDisplayMode"] != "notApplicable"
    )
    return Audit(
        scores=tuple(round(category["score"] * 100) for category in categories),
        raw_bytes=sum(item.get("resourceSize", 0) for item in loads),
        gzip_bytes=sum(item.get("transferSize", 0) for item in loads),
        requests=len(loads),
        foreign_hosts=frozenset(urlsplit(item["url"]).hostname or "" for item in loads)
        - {"127.0.0.1"},
        failing=failing,
    )


def median_audit(url: str, scratch: Path) -> tuple[Audit, int]:
    """One audit; or, if its performance is below 100, the median of RUNS_BELOW_100 by it."""
    audits = [lighthouse(url, scratch)]
    if audits[0].scores[0] < 100:
        audits += [lighthouse(url, scratch) for _ in range(RUNS_BELOW_100 - 1)]
    audits.sort(key=lambda audit: audit.scores[0])
    return audits[len(audits) // 2], len(audits)


def columns(audit: Audit, runs: int) -> str:
    """Scores (starred when a median), kB raw/gzip, requests."""
    scores = "/".join(map(str, audit.scores)) + ("*" if runs > 1 else "")
    weight = f"{audit.raw_bytes / 1000:.1f}/{audit.gzip_bytes / 1000:.1f}"
    return f"{scores:<16} {weight:>12} {audit.requests:>4}"


def pages(site: Path) -> list[str]:
    return sorted(str(path.relative_to(site)) for path in site.rglob("*.html")
                  if "_static" not in path.parts)


def run(bench: Bench) -> None:
    if not LIGHTHOUSE.exists():
        raise SystemExit(
            f"{LIGHTHOUSE} is missing; install it with: make node_modules/.package-lock.json")
    print("scores: performance/accessibility/best practices/SEO (*: performance was below 100, "
          f"so the median of {RUNS_BELOW_100} runs)\nkB: all resources the page loads, raw / "
          "gzip on the wire; req: requests")
    header = f"{'page':<30} {'ours':<16} {'kB raw/gz':>12} {'req':>4}"
    header += f"   {'bare':<16} {'kB raw/gz':>12} {'req':>4}   {'+gz kB':>6}"
    print(header)
    print("-" * len(header))
    findings: list[str] = []
    with serve(bench.ours_html) as ours_url, serve(bench.bare_html) as bare_url:
        for page in pages(bench.ours_html):
            ours, our_runs = median_audit(ours_url + page, bench.scratch)
            bare, bare_runs = median_audit(bare_url + page, bench.scratch)
            extra = (ours.gzip_bytes - bare.gzip_bytes) / 1000
            print(f"{page:<30} {columns(ours, our_runs)}   {columns(bare, bare_runs)}   "
                  f"{extra:>+6.1f}", flush=True)
            findings += [f"{page}: {audit}" for audit in ours.failing]
            findings += [f"{page}: loads from {host}" for host in sorted(ours.foreign_hosts)]
    print("\nOur audits below 100:" if findings else "\nEvery audit of ours scores 100.")
    for finding in findings:
        print(f"  {finding}")
