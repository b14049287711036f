"""How every browser run here starts Debian's chromium (browser tests and benchmarks alike).

The background-networking flags keep chromium from calling home on a machine whose network is
closed (and a clinic's test runs should not leak anywhere either)."""

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
