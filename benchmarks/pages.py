"""Requests per second and latency for the home page, the demo article (uncached and with the
page cache) and a static file, served by gunicorn with production settings on PostgreSQL.

    make bench            # or: .venv/bin/python benchmarks/pages.py [--duration 20]

Results are printed as a Markdown table and saved under benchmarks/out/; copy them into
docs/benchmarks.md with the machine's conditions. wrk (Debian package) does the measuring.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402


def wrk(url: str, duration: int, threads: int, connections: int) -> dict:
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {pct: _ms(value) for pct, value in re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, flags=re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "url": url,
        "rps": rate,
        "p50_ms": latency["50"],
        "p99_ms": latency["99"],
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "raw": output,
    }


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def static_file(base: str) -> str:
    _, _, html = common.fetch(base + common.ARTICLE_PATH)
    return re.search(r'href="(/static/[^"]+\.css)"', html.decode()).group(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=int, default=20, help="seconds per measurement")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--cache-seconds", type=int, default=300, help="PAGE_CACHE_SECONDS for the cached run")
    parser.add_argument("--skip-setup", action="store_true", help="reuse the database from the last run")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")

    if not args.skip_setup:
        common.prepare_site()
    load_before = os.getloadavg()

    def measure(label: str, url: str) -> dict:
        # One warm-up request: image renditions are made on the first view, not measured.
        status, headers, _ = common.fetch(url)
        if status != 200:
            sys.exit(f"{url} answered {status}")
        result = wrk(url, args.duration, args.threads, args.connections)
        result["label"] = label
        _, headers, _ = common.fetch(url)  # after the run: a hit if the page cache served it
        result["x_page_cache"] = headers.get("X-Page-Cache", "")
        print(f"{label:<40} {result['rps']:>9.1f} req/s  p50 {result['p50_ms']:.1f} ms  p99 {result['p99_ms']:.1f} ms")
        return result

    results = []
    with common.gunicorn() as base:
        static_path = static_file(base)
        results.append(measure("Home page, uncached", base + "/"))
        results.append(measure("Article page, uncached", base + common.ARTICLE_PATH))
        results.append(measure("Static file (site.css), same server", base + static_path))
    with common.gunicorn(PAGE_CACHE_SECONDS=str(args.cache_seconds)) as base:
        common.fetch(base + common.ARTICLE_PATH)  # fill the cache
        results.append(measure("Article page, page cache on", base + common.ARTICLE_PATH))
        results.append(measure("Home page, page cache on", base + "/"))
        results.append(measure("Static file (site.css), same server", base + static_path))

    stamp = time.strftime("%Y-%m-%dT%H%M%S")
    meta = {
        "when": stamp,
        "cpus": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "workers": common.WORKERS,
        "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s",
    }
    (common.OUT / f"pages-{stamp}.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    print(
        f"\nwrk {meta['wrk']}, gunicorn {common.WORKERS} sync workers, {meta['cpus']} CPUs, "
        f"load average {load_before[0]:.1f} before / {meta['load_average_after'][0]:.1f} after\n"
    )
    print("| Measurement | req/s | p50 | p99 | notes |")
    print("|---|---:|---:|---:|---|")
    for r in results:
        notes = []
        if r["x_page_cache"]:
            notes.append(f"X-Page-Cache: {r['x_page_cache']}")
        if r["non_2xx"]:
            notes.append(f"{r['non_2xx']} non-2xx")
        if r["socket_errors"]:
            notes.append(f"socket errors {r['socket_errors']}")
        print(f"| {r['label']} | {r['rps']:,.0f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms | {'; '.join(notes)} |")


if __name__ == "__main__":
    main()
