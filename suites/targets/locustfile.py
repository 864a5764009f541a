"""locustfile.py: the "browse" flow of suites/macro/users.json, for Locust.

suites/self/locust_vs_pacer.py runs it headless against the aiohttp target
(aio.py) beside pacer running the same flow, to compare requests per
generator CPU-second and the latencies each tool reports.

The flow, as users.json's "browse" scenario has it:

  list   GET /items?token=TOKEN (the target's --api-token: the flow has no
         login step), the first item's id captured with the regex
         "id": *([0-9]+)
  think  uniform 50 to 150 ms
  read   GET /items/ID
  think  uniform 50 to 150 ms, then the flow starts again

Think time follows each step, the last one included (Locust's wait_time
after each task, which is the whole flow here; the sleep between the two
steps is User.wait(), the same wait_time).  The id is taken with a regex on
the raw bytes, as the pacer flow takes it, not by decoding the JSON:
Locust does no more work a request than pacer is asked to.

The users are FastHttpUser (geventhttpclient), the faster of Locust's two
HTTP clients, which Debian's python3-locust (2.12) has; requests are named
/items and /items/[id] so that Locust's CSV reports the two steps apart.

Environment: PACER_API_TOKEN (default pacer-bench), the target's
--api-token; PACER_LOCUST_SUMMARY, a file to write Locust's final figures
into as JSON at exit (write_summary).  Run with Debian's Locust (/usr/bin/locust, python3-locust):

  locust -f suites/targets/locustfile.py --headless -u 50 -r 50 -t 20s \\
         --host http://127.0.0.1:PORT --csv PREFIX --only-summary
"""

import json
import os
import re

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

TOKEN = os.environ.get("PACER_API_TOKEN", "pacer-bench")
ID = re.compile(rb'"id": *([0-9]+)')


class Browse(FastHttpUser):
    wait_time = between(0.05, 0.15)

    @task
    def browse(self):
        with self.client.get("/items?token=" + TOKEN, name="/items",
                             catch_response=True) as r:
            m = ID.search(r.content or b"") if r.status_code == 200 else None
            if not m:
                r.failure("status %s, no id in the list" % r.status_code)
                return
        self.wait()
        self.client.get("/items/" + m.group(1).decode(), name="/items/[id]")


@events.quitting.add_listener
def write_summary(environment, **kw):
    """Locust's final figures as JSON into $PACER_LOCUST_SUMMARY, if set:
    Locust 2.12 writes its --csv files only while it runs, up to a second
    before its end (locust_vs_pacer.py reads this instead)."""
    path = os.environ.get("PACER_LOCUST_SUMMARY")
    if not path or environment.runner is None:
        return
    stats = environment.runner.stats

    def figures(e):
        return {"requests": e.num_requests, "failures": e.num_failures,
                "mean": e.avg_response_time,
                "p50": e.get_response_time_percentile(0.5),
                "p90": e.get_response_time_percentile(0.9),
                "p99": e.get_response_time_percentile(0.99)}
    out = figures(stats.total)
    out["steps"] = {e.name: figures(e) for e in stats.entries.values()}
    with open(path, "w") as f:
        json.dump(out, f)
