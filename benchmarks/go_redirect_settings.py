"""Production settings plus a URLconf with the bare comparison view (benchmarks only)."""

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.go_redirect_urls"
