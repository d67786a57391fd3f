"""Settings for benchmarks: the real settings plus a bare JSON view (the baseline) and a
header reporting how many queries each request ran."""

from config.settings import *  # noqa: F403
from config.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
DEBUG = False
# The limiter runs (its cost is part of every request) but never refuses the benchmark.
API_RATE_LIMIT_PER_MINUTE = 10_000_000
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "WARNING"}}
