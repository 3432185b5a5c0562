"""`make bench` section: Lighthouse on every page, ours beside today's and bare furo's.

Each page is served over loopback with gzip (gzip_server.py) and audited once by
npm's pinned Lighthouse with its default mobile configuration, one page at a time:
ours, the same page of the guide before issue 13 made it lighter (run.TODAY, built in
the same run), and the bare furo build. Bytes and requests come from Lighthouse's own
network record: raw is what the page's resources weigh decoded, gz their bodies as the
server sent them gzipped, wire what went over the wire with each response's headers
(about 200 bytes each from this HTTP/1.1 server; a real host's HTTP/2 compresses them);
FCP is Lighthouse's first contentful paint on its simulated slow 4G phone. Issue 13's
goals: at most 15 kB gzipped (gz) in 5 requests, FCP at most 0.9 s.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from gzip_server import body_bytes, serve
from run import ROOT, TODAY, Bench

sys.path.append(str(ROOT / "extensions"))
from asset_bundle import CODE_SCRIPT, PAGE_SCRIPT  # noqa: E402

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
GOAL_KB, GOAL_REQUESTS, GOAL_FCP_S = 15.0, 5, 0.9
# The search page may add its index and search code to the goals' bytes and requests: every
# script it loads but the page bundle (as tests/test_page_weight.py counts).
SEARCH_PAGE = "search.html"
PAGE_SCRIPTS = (PAGE_SCRIPT, CODE_SCRIPT)


@dataclass(frozen=True)
class Audit:
    scores: tuple[int, ...]
    raw_bytes: int
    gzip_bytes: int
    wire_bytes: int
    requests: int
    foreign_hosts: frozenset[str]
    failing: tuple[str, ...]
    fcp_seconds: float
    # Bytes and requests without the search page's index and search code.
    goal_bytes: int
    goal_requests: int


def lighthouse(url: str, site: Path, scratch: Path) -> Audit:
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
    search_code = [item for item in loads
                   if urlsplit(url).path.endswith(SEARCH_PAGE) and item["resourceType"] == "Script"
                   and not urlsplit(item["url"]).path.endswith(PAGE_SCRIPTS)]
    counted = [item for item in loads if item not in search_code]
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
        gzip_bytes=sum(body_bytes(site, urlsplit(item["url"]).path) for item in loads),
        wire_bytes=sum(item.get("transferSize", 0) for item in loads),
        requests=len(loads),
        foreign_hosts=frozenset(urlsplit(item["url"]).hostname or "" for item in loads)
        - {"127.0.0.1"},
        failing=failing,
        fcp_seconds=result["audits"]["first-contentful-paint"]["numericValue"] / 1000,
        goal_bytes=sum(body_bytes(site, urlsplit(item["url"]).path) for item in counted),
        goal_requests=len(counted),
    )


def median_audit(url: str, site: Path, scratch: Path) -> tuple[Audit, int]:
    """One audit; or, if its performance is below 100, the median of RUNS_BELOW_100 by it."""
    audits = [lighthouse(url, site, scratch)]
    if audits[0].scores[0] < 100:
        audits += [lighthouse(url, site, scratch) for _ in range(RUNS_BELOW_100 - 1)]
    audits.sort(key=lambda audit: audit.scores[0])
    return audits[len(audits) // 2], len(audits)


def columns(audit: Audit | None, runs: int) -> str:
    """Scores (starred when a median), kB raw/gz/wire, requests, FCP."""
    if audit is None:
        return f"{'(no such page)':<16} {'':>17} {'':>4} {'':>5}"
    scores = "/".join(map(str, audit.scores)) + ("*" if runs > 1 else "")
    weight = "/".join(f"{size / 1000:.1f}"
                      for size in (audit.raw_bytes, audit.gzip_bytes, audit.wire_bytes))
    return f"{scores:<16} {weight:>17} {audit.requests:>4} {audit.fcp_seconds:>5.2f}"


def meets_goals(audit: Audit) -> bool:
    return (audit.goal_bytes / 1000 <= GOAL_KB and audit.goal_requests <= GOAL_REQUESTS
            and audit.fcp_seconds <= GOAL_FCP_S)


def pages(site: Path) -> list[str]:
    return sorted(str(path.relative_to(site)) for path in site.rglob("*.html")
                  if "_static" not in path.parts)


def run(bench: Bench) -> None:
    if not LIGHTHOUSE.exists():
        raise SystemExit(
            f"{LIGHTHOUSE} is missing; install it with: make node_modules/.package-lock.json")
    print("scores: performance/accessibility/best practices/SEO (*: performance was below 100, "
          f"so the median of {RUNS_BELOW_100} runs)\nkB: all resources the page loads, raw / "
          "gzipped / on the wire with headers; req: requests; FCP: first contentful paint, "
          "seconds\n"
          f"today: the guide at {TODAY}, before issue 13; bare: Sphinx + furo alone")
    today_html = bench.today_html
    if today_html is None:
        print(f"(no git or no commit {TODAY} here: the today columns stay empty)")
    site = f"{'kB raw/gz/wire':>17} {'req':>4} {'FCP':>5}"
    header = (f"{'page':<28} {'ours':<16} {site}   {'today':<16} {site}   "
              f"{'bare':<16} {site}")
    print(header)
    print("-" * len(header))
    findings: list[str] = []
    ours_audits: list[Audit] = []
    with contextlib.ExitStack() as servers:
        ours_url = servers.enter_context(serve(bench.ours_html))
        bare_url = servers.enter_context(serve(bench.bare_html))
        today_url = servers.enter_context(serve(today_html)) if today_html else None
        for page in pages(bench.ours_html):
            ours, our_runs = median_audit(ours_url + page, bench.ours_html, bench.scratch)
            today, today_runs = (
                median_audit(today_url + page, today_html, bench.scratch)
                if today_url and today_html and (today_html / page).is_file() else (None, 0))
            bare, bare_runs = (median_audit(bare_url + page, bench.bare_html, bench.scratch)
                               if (bench.bare_html / page).is_file() else (None, 0))
            print(f"{page:<28} {columns(ours, our_runs)}   {columns(today, today_runs)}   "
                  f"{columns(bare, bare_runs)}", flush=True)
            ours_audits.append(ours)
            findings += [f"{page}: {audit}" for audit in ours.failing]
            findings += [f"{page}: loads from {host}" for host in sorted(ours.foreign_hosts)]
    meeting = sum(meets_goals(audit) for audit in ours_audits)
    print(f"\nIssue 13's goals (<= {GOAL_KB:g} kB gzipped, <= {GOAL_REQUESTS} requests, FCP <= "
          f"{GOAL_FCP_S:g} s; the search page's index and search code apart): {meeting} of "
          f"{len(ours_audits)} pages meet all three.")
    print("Our audits below 100:" if findings else "Every audit of ours scores 100.")
    for finding in findings:
        print(f"  {finding}")
