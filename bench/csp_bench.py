"""What the Content-Security-Policy header costs each response: django-csp's middleware
as shipped against ours (core/csp.py), which builds the plain
policy once, each as a ratio to the same response with no CSP middleware, measured in
alternating slices in one run (the machine is shared and noisy).

    .venv/bin/python bench/csp_bench.py [--slices 10] [--per-slice 5000]
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from csp.middleware import CSPMiddleware as Stock  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from core.csp import CSPMiddleware as Ours  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--slices", type=int, default=10)
    parser.add_argument("--per-slice", type=int, default=5000)
    args = parser.parse_args()

    def answer(request):
        return HttpResponse(b'{"incident": {}}', content_type="application/json")

    request = RequestFactory().get("/v2/incidents/01H")
    candidates = {"none": answer, "django-csp": Stock(answer), "ours": Ours(answer)}
    spent = dict.fromkeys(candidates, 0.0)
    for _ in range(args.slices):
        for name, handler in candidates.items():
            started = time.perf_counter()
            for _ in range(args.per_slice):
                handler(request)
            spent[name] += time.perf_counter() - started
    count = args.slices * args.per_slice
    base = spent["none"] / count
    for name in ("django-csp", "ours"):
        each = spent[name] / count
        print(f"{name:>10}: {each / base:.2f}x the response without CSP (+{(each - base) * 1e6:.0f} us a response)")


if __name__ == "__main__":
    main()
