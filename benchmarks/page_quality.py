"""Bytes transferred on the first view of the demo article (before the video is clicked), and
Lighthouse's four mobile scores for it, against gunicorn with production settings.

    make bench-quality    # or: .venv/bin/python benchmarks/page_quality.py [--skip-setup]

Needs Debian's chromium (never downloads one) and, for Lighthouse, Node.js: the pinned
lighthouse from benchmarks/package.json is installed into benchmarks/node_modules on first use.
"""

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

sys.path.insert(0, str(common.ROOT))
from tests.browser import CHROMIUM_ARGS  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
# Lighthouse's default mobile device (Moto G Power), so both measurements see the same layout.
MOBILE = {
    "viewport": {"width": 412, "height": 823},
    "device_scale_factor": 1.75,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1350, "height": 940}, "device_scale_factor": 1}


def transferred(browser, url: str, device: dict, scroll: bool) -> dict:
    context = browser.new_context(**device)
    third_party = []

    def only_local(route, request):
        if urlsplit(request.url).hostname in {"localhost", "127.0.0.1"}:
            route.continue_()
        else:
            third_party.append(request.url)
            route.abort("blockedbyclient")

    context.route("**/*", only_local)
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="networkidle")
    if scroll:
        # Scroll through the article so lazy images load, stopping short of the video click.
        height = page.evaluate("document.body.scrollHeight")
        for y in range(0, height, device["viewport"]["height"] // 2):
            page.evaluate(f"window.scrollTo(0, {y})")
            page.wait_for_load_state("networkidle")
    resources = []
    for request in finished:
        sizes = request.sizes()
        response = request.response()
        resources.append(
            {
                "url": request.url.replace(url.split("/articles/")[0], ""),
                "type": request.resource_type,
                "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                "encoding": (response.headers.get("content-encoding", "") if response else ""),
            }
        )
    context.close()
    return {
        "total_bytes": sum(r["bytes"] for r in resources),
        "requests": len(resources),
        "third_party_attempts": third_party,
        "resources": sorted(resources, key=lambda r: -r["bytes"]),
    }


def lighthouse(url: str) -> dict:
    if not shutil.which("npx"):
        return {"error": "Node.js (npx) is not installed"}
    if not (BENCH_DIR / "node_modules" / "lighthouse").exists():
        subprocess.run(["npm", "install", "--no-package-lock", "--no-audit", "--no-fund"], cwd=BENCH_DIR, check=True)
    report = common.OUT / "lighthouse-article.json"
    env = {**common.environment(), "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
    subprocess.run(
        [
            "npx",
            "--no-install",
            "lighthouse",
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            "--only-categories=performance,accessibility,best-practices,seo",
            f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
        ],
        cwd=BENCH_DIR,
        env=env,
        check=True,
    )
    data = json.loads(report.read_text())
    scores, losing = {}, {}
    for category in data["categories"].values():
        scores[category["title"]] = round(category["score"] * 100)
        for ref in category["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                losing.setdefault(category["title"], []).append(
                    f"{ref['id']} ({audit['score']:.2f}): {audit.get('displayValue', '') or audit['title']}"
                )
    metrics = {
        name: data["audits"][name].get("displayValue", "")
        for name in (
            "first-contentful-paint",
            "largest-contentful-paint",
            "total-blocking-time",
            "cumulative-layout-shift",
            "speed-index",
        )
    }
    return {"scores": scores, "losing_audits": losing, "metrics": metrics, "version": data.get("lighthouseVersion")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-setup", action="store_true", help="reuse the database from the last run")
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    if not args.skip_setup:
        common.prepare_site()
    results = {"when": time.strftime("%Y-%m-%dT%H%M%S")}
    with common.gunicorn("benchmarks.wsgi_media:application") as base:
        url = base + common.ARTICLE_PATH
        # Renditions are made on the first view; measure the second browser's first view.
        common.fetch(url)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            transferred(browser, url, MOBILE, scroll=True)  # warm-up: renditions for every image
            for label, device, scroll in (
                ("mobile, first view", MOBILE, False),
                ("desktop, first view", DESKTOP, False),
                ("mobile, scrolled to the end (all images, video not clicked)", MOBILE, True),
            ):
                result = transferred(browser, url, device, scroll)
                results[label] = result
                print(
                    f"{label:<62} {result['total_bytes'] / 1000:6.1f} KB in {result['requests']} requests; "
                    f"third-party attempts: {len(result['third_party_attempts'])}"
                )
                for r in result["resources"]:
                    print(f"    {r['bytes'] / 1000:6.1f} KB  {r['type']:<10} {r['encoding'] or '-':<5} {r['url']}")
            browser.close()
        if not args.no_lighthouse:
            results["lighthouse"] = lighthouse(url)
            print(json.dumps(results["lighthouse"], indent=2))
    (common.OUT / f"page-quality-{results['when']}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
