"""The mixed-role profile of bench/load.py, run by locust (from its own virtualenv: this file imports no Django).

bench/load.py writes the sessions and URLs of each role into a JSON file and passes its path in LOAD_CONFIG;
LOAD_WAIT is "think" (1–3 s between a person's requests: the moderate run) or "none" (saturation)."""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, constant, task

CONFIG = json.loads(open(os.environ["LOAD_CONFIG"], encoding="utf-8").read())  # noqa: SIM115 - read once at import
WAIT = between(1, 3) if os.environ.get("LOAD_WAIT", "think") == "think" else constant(0)


class Role(HttpUser):
    abstract = True
    role = ""
    wait_time = WAIT

    def on_start(self):
        person = random.choice(CONFIG["roles"][self.role])  # noqa: S311 - load profile, not security
        self.client.cookies.set(CONFIG["cookie_name"], person["session"])
        self.urls = person["urls"]  # [[name, url, weight, htmx], …]

    @task
    def page(self):
        name, url, _weight, htmx = random.choices(self.urls, weights=[u[2] for u in self.urls])[0]  # noqa: S311
        headers = {"HX-Request": "true"} if htmx else {}
        with self.client.get(url, name=name, headers=headers, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")


class FrontDesk(Role):
    role, weight = "front_desk", 4


class Technician(Role):
    role, weight = "technician", 3


class Dispatcher(Role):
    role, weight = "dispatcher", 1


class Parts(Role):
    role, weight = "parts", 2


class Care(Role):
    role, weight = "care", 1


class Manager(Role):
    role, weight = "manager", 1
