"""Demo login used by `make run` (dev settings only; load_demo_content refuses in production)."""

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "more4life-demo"  # noqa: S105 - a documented local demo login
