"""The users of ``python -m bench load``, for locust (headless). Not imported by Django.

The run's plan is a JSON file named by ``BENCH_LOAD_PLAN``, written by ``bench.load``: for each
role, a session cookie per virtual user and the lists it opens, by group (e.g. "catalogue" →
its URLs). Each user picks a group, then one of its URLs, and asks for it as soon as the last
answer is in (no think time: the server is kept busy, so that requests per second is what it can
serve). Anything but a 200 is a failure: an expired session's redirect to the login page too.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import FastHttpUser, constant, task

with open(os.environ["BENCH_LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)


class _RoleUser(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    role = ""

    def on_start(self) -> None:
        plan = PLAN[self.role]
        self.cookie = next(_COOKIES[self.role])
        self.groups = plan["urls"]
        self.random = random.Random()

    @task
    def open_a_list(self) -> None:
        group = self.random.choice(sorted(self.groups))
        url = self.random.choice(self.groups[group])
        with self.client.get(
            url,
            name=f"{self.role} {group}",
            headers={"Cookie": f"sessionid={self.cookie}"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {url}")


#: Each role's session cookies, handed out in turn to its virtual users.
_COOKIES = {role: itertools.cycle(plan["cookies"]) for role, plan in PLAN.items()}


class County(_RoleUser):
    """The county HR bureau: the catalogue and its review and approval queue."""

    role = "county"


class Clerk(_RoleUser):
    """A township clerk: the catalogue and the person search."""

    role = "clerk"
