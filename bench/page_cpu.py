"""The load profile's pages one at a time in this process: Python CPU per page and the mix's weighted mean.

``bench/load.py`` measures the server under locust; on a shared machine its rate depends on who else uses the cores.
This script asks each page of the same profile (same sessions, same URLs, ``load.build_config``) through the whole
Django stack in-process, ``--runs`` times after two warm-ups, and reports each page's CPU time (lower quartile: the
request the least disturbed by other processes), its template share and its queries, and the mean weighted as locust
weighs the mix (user classes front desk 4, technicians 3, dispatcher 1, parts 2, care 1, managers 1; within a role by
the URL weights). Run it for two trees back to back to compare code, e.g.:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aftersales_load_scale .venv/bin/python bench/page_cpu.py --runs 30
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402 - configures the environment first (bench/_common)

ROLE_WEIGHTS = {"front_desk": 4, "technician": 3, "dispatcher": 1, "parts": 2, "care": 1, "manager": 1}


def page_weights(config: dict) -> dict[str, float]:
    """Share of the mix's requests per page name: a role's share split over its people and their URL weights."""
    total_roles = sum(ROLE_WEIGHTS.values())
    shares: dict[str, float] = {}
    for role, people in config["roles"].items():
        for person in people:
            url_total = sum(u[2] for u in person["urls"])
            for name, _url, weight, _htmx in person["urls"]:
                shares[name] = shares.get(name, 0.0) + (ROLE_WEIGHTS[role] / total_roles / len(people)
                                                        * weight / url_total)
    return shares


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="then profile the mix (each page as often as its share of 200 requests) and print the "
                             "N functions with the most time of their own and the N with the most cumulative time")
    parser.add_argument("--page", action="append", help="only this page of the profile (repeatable)")
    args = parser.parse_args()
    import django  # noqa: PLC0415
    django.setup()
    import django.template.backends.django as backend  # noqa: PLC0415
    from django.conf import settings  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    spent = {"template": 0.0, "depth": 0}
    original = backend.Template.render

    def render(self, *a, **k):
        spent["depth"] += 1
        start = time.process_time()
        try:
            return original(self, *a, **k)
        finally:
            spent["depth"] -= 1
            if not spent["depth"]:
                spent["template"] += time.process_time() - start

    backend.Template.render = render
    config = load.build_config()
    shares = page_weights(config)
    pages: dict[str, tuple] = {}
    for people in config["roles"].values():
        for person in people:
            for name, url, _w, htmx in person["urls"]:
                if not args.page or name in args.page:
                    pages.setdefault(name, (person["session"], url, htmx))
    client = Client()
    print(f"{'page':26} {'share':>6} {'CPU ms':>7} {'template':>9} {'queries':>8}")
    mean = 0.0
    for name, (session, url, htmx) in pages.items():
        client.cookies[settings.SESSION_COOKIE_NAME] = session
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        for _ in range(2):
            assert client.get(url, **headers).status_code == 200, name
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **headers)
        assert response.status_code == 200, name
        query_count = len(queries.captured_queries)  # read now: the next request's start clears the log
        samples, spent["template"] = [], 0.0
        for _ in range(args.runs):
            start = time.process_time()
            client.get(url, **headers)
            samples.append(time.process_time() - start)
        cpu = sorted(samples)[len(samples) // 4] * 1000
        mean += cpu * shares[name]
        print(f"{name:26} {shares[name] * 100:5.1f}% {cpu:7.1f} {spent['template'] / args.runs * 1000:9.1f} "
              f"{query_count:8d}")
    print(f"weighted mean CPU per request (lower quartile of each page): {mean:.1f} ms")
    if args.profile:
        profile_mix(client, pages, shares, args.profile, settings.SESSION_COOKIE_NAME)
    return 0


def profile_mix(client, pages: dict, shares: dict, top: int, cookie: str) -> None:
    """cProfile over the weighted mix: where a typical second of the server's Python time goes."""
    import cProfile  # noqa: PLC0415
    import pstats  # noqa: PLC0415

    profiler = cProfile.Profile()
    for name, (session, url, htmx) in pages.items():
        client.cookies[cookie] = session
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        for _ in range(max(1, round(shares[name] * 200))):
            profiler.enable()
            client.get(url, **headers)
            profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


if __name__ == "__main__":
    sys.exit(main())
