"""aio.py: the asyncio (aiohttp) server of suites/macro/asyncio.json.

Its endpoints come in before/after pairs, each showing one tuning
technique of event-loop servers:

  /hello          a small text answer: the baseline (and, loaded without
                  keep-alive by the suite, the cost of a new connection per
                  request against a reused one)
  /file-blocking  reads a file with blocking calls inside the event loop:
                  while one request waits for storage, every other
                  connection waits too
  /file-offload   the same read in a thread pool (loop.run_in_executor):
                  the loop keeps serving while reads wait
  /delay?ms=N     answers after N milliseconds (asyncio.sleep, 0..10000):
                  a slow service for the outbound routes to call

With --redis PORT it has a backing store (redis through redis.asyncio),
with --backend URL routes that call another HTTP service, and with
--limit N a concurrency limit: aio_backend.py says which routes and
switches.  --backlog N is the listen backlog (default 1024).

A small user-facing API serves multi-step flows (a user logs in, lists,
reads, posts; suites/macro/users.json, suites/targets/locustfile.py):

  POST /login     JSON body {"user": NAME}: a new session; answers
                  {"ok": true, "token": TOKEN, "user": NAME} and sets the
                  cookie session=TOKEN (400 with {"ok": false, "error": ...}
                  for a body that is not such an object)
  GET  /items     the latest items, newest first, as JSON
                  {"items": [{"id", "user", "text", "created"}, ...],
                  "count": ITEMS_KEPT}; ?limit=N (1..100, default 20).  Needs
                  a session: the cookie, ?token=TOKEN or "Authorization:
                  Bearer TOKEN"; 401 with {"ok": false, ...} without one
  GET  /items/ID  one item as JSON (404 with {"ok": false, ...} if there is
                  none, or no longer: see --items-max); no session needed
  POST /items     JSON body {"text": TEXT} (a string of at most 1000
                  characters), with a session as /items: stores the item
                  under the session's user and answers 201 {"id": ID} with
                  Location: /items/ID

Items and sessions live in memory, bounded: the newest --items-max items
(default 10000) and --sessions-max sessions (default 10000) are kept, the
oldest dropped first, so a long run cannot grow the server without bound.
--items-seed items (default 100) are there from the start, so a flow can
list and read before anyone has posted.  --api-token TOKEN adds a session
that never expires, as an API key handed out beforehand: a flow without a
login step (the Locust comparison's list-then-read) passes it as ?token=.

With --uvloop the same app runs on uvloop's event loop instead of
asyncio's default one.  With --profile it profiles its event loop between
SIGUSR1 and SIGUSR2 (pyprofile.py: pacer load --profile-pid): its stack
sampled, or with --profile yappi yappi's wall clock.  The environment
variable PACER_PROFILE=sample or PACER_PROFILE=yappi does the same (pacer
run --profile sets it for the targets it starts); --profile wins over it.

A read from the page cache is too quick to show what blocking costs, so
each read is followed by a blocking wait of --io-latency (default 2ms),
standing in for a busy disk or a network file system.

Prints "listening on PORT" once it accepts connections; exits on SIGTERM
or SIGINT.  Run it with Debian's Python (/usr/bin/python3), which has
python3-aiohttp and python3-uvloop.
"""

import argparse
import asyncio
import collections
import concurrent.futures
import itertools
import json
import os
import secrets
import signal
import sys
import tempfile
import time

import aio_backend

web = aio_backend.need("aiohttp.web", "python3-aiohttp")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--uvloop", action="store_true", help="run on uvloop's event loop")
    p.add_argument("--io-latency", type=float, default=0.002,
                   help="seconds each file read waits after reading (default 0.002)")
    p.add_argument("--file-size", type=int, default=16384,
                   help="bytes of the file the /file-* endpoints read (default 16384)")
    p.add_argument("--io-threads", type=int, default=8,
                   help="threads of the pool /file-offload reads in (default 8)")
    p.add_argument("--items-max", type=int, default=10000,
                   help="items kept in memory, the oldest dropped first (default 10000)")
    p.add_argument("--items-seed", type=int, default=100,
                   help="items stored at start, so that lists are not empty (default 100)")
    p.add_argument("--sessions-max", type=int, default=10000,
                   help="sessions kept in memory, the oldest dropped first (default 10000)")
    p.add_argument("--api-token", metavar="TOKEN",
                   help="a session token that is always valid (an API key), for flows "
                        "without a login step")
    p.add_argument("--backlog", type=int, default=1024,
                   help="the listen backlog (default 1024)")
    aio_backend.add_options(p)
    p.add_argument("--profile", nargs="?", const="sample", choices=("sample", "yappi"),
                   help="profile the event loop between SIGUSR1 and SIGUSR2: its stack "
                        "sampled (default) or yappi's wall clock (pyprofile.py); "
                        "also PACER_PROFILE=sample|yappi in the environment")
    args = p.parse_args(argv)
    env = os.environ.get("PACER_PROFILE", "")
    if env and env not in ("sample", "yappi"):
        p.error("PACER_PROFILE=%s: not sample or yappi" % env)
    args.profile = args.profile or env or None
    return args


def slow_read(path, latency):
    """Read the whole file with blocking calls, then wait like slow storage."""
    with open(path, "rb") as f:
        data = f.read()
    time.sleep(latency)
    return data


class Store:
    """Items and sessions in memory, each bounded: the oldest go first."""

    TEXT_MAX = 1000

    def __init__(self, items_max, sessions_max, api_token=None):
        self.items = collections.OrderedDict()      # id -> item, oldest first
        self.sessions = collections.OrderedDict()   # token -> user name
        self.items_max = max(items_max, 1)
        self.sessions_max = max(sessions_max, 1)
        self.api_token = api_token
        self.next_id = 1

    def login(self, user):
        token = secrets.token_hex(16)
        self.sessions[token] = user
        while len(self.sessions) > self.sessions_max:
            self.sessions.popitem(last=False)
        return token

    def user_of(self, token):
        """The session's user, or None for an unknown (or dropped) token."""
        if token is None:
            return None
        if self.api_token is not None and secrets.compare_digest(token, self.api_token):
            return "api"
        return self.sessions.get(token)

    def add(self, user, text):
        item = {"id": self.next_id, "user": user, "text": text, "created": round(time.time(), 3)}
        self.items[item["id"]] = item
        self.next_id += 1
        while len(self.items) > self.items_max:
            self.items.popitem(last=False)
        return item

    def latest(self, n):
        return list(itertools.islice(reversed(self.items.values()), n))


def json_response(obj, status=200, headers=None):
    return web.Response(text=json.dumps(obj), status=status, headers=headers,
                        content_type="application/json")


def fail(status, why):
    return json_response({"ok": False, "error": why}, status)


async def json_body(request):
    """The request's JSON object, or None if the body is not one."""
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def session_token(request):
    """The session token the request carries: cookie, ?token= or Bearer."""
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return auth[7:].strip()
    return request.cookies.get("session") or request.query.get("token")


def add_api_routes(app, store):
    async def on_login(request):
        body = await json_body(request)
        user = body.get("user") if body else None
        if not isinstance(user, str) or not user or len(user) > 100:
            return fail(400, 'expected a JSON object {"user": NAME}')
        token = store.login(user)
        # the request's content type, for clients to check what they sent
        resp = json_response({"ok": True, "token": token, "user": user,
                              "content_type": request.content_type})
        resp.set_cookie("session", token, httponly=True, path="/")
        return resp

    async def on_items(request):
        if store.user_of(session_token(request)) is None:
            return fail(401, "no session: POST /login first")
        try:
            limit = int(request.query.get("limit", "20"))
        except ValueError:
            limit = 0
        if not 1 <= limit <= 100:
            return fail(400, "limit: expected 1 to 100")
        return json_response({"items": store.latest(limit), "count": len(store.items)})

    async def on_item(request):
        try:
            item = store.items.get(int(request.match_info["id"]))
        except ValueError:
            item = None
        if item is None:
            return fail(404, "no item %s" % request.match_info["id"])
        return json_response(item)

    async def on_post_item(request):
        user = store.user_of(session_token(request))
        if user is None:
            return fail(401, "no session: POST /login first")
        body = await json_body(request)
        text = body.get("text") if body else None
        if not isinstance(text, str) or len(text) > store.TEXT_MAX:
            return fail(400, 'expected a JSON object {"text": TEXT} of at most %d characters'
                        % store.TEXT_MAX)
        item = store.add(user, text)
        return json_response({"id": item["id"]}, 201, {"Location": "/items/%d" % item["id"]})

    app.router.add_post("/login", on_login)
    app.router.add_get("/items", on_items)
    app.router.add_post("/items", on_post_item)
    app.router.add_get("/items/{id}", on_item)


def make_app(args, path, pool):
    async def on_hello(request):
        return web.Response(text="hello, world\n")

    async def on_file_blocking(request):
        data = slow_read(path, args.io_latency)          # the loop stops here
        return web.Response(text="%d bytes\n" % len(data))

    async def on_file_offload(request):
        loop = asyncio.get_running_loop()
        data = await loop.run_in_executor(pool, slow_read, path, args.io_latency)
        return web.Response(text="%d bytes\n" % len(data))

    async def on_delay(request):
        try:
            ms = float(request.query.get("ms", "0"))
        except ValueError:
            ms = -1
        if not 0 <= ms <= 10000:
            return web.Response(status=400, text="ms: expected 0 to 10000\n")
        await asyncio.sleep(ms / 1000)
        return web.Response(text="waited %g ms\n" % ms)

    app = web.Application()
    app.middlewares.extend(aio_backend.add_routes(app, args, web))
    app.router.add_get("/hello", on_hello)
    app.router.add_get("/delay", on_delay)
    app.router.add_get("/file-blocking", on_file_blocking)
    app.router.add_get("/file-offload", on_file_offload)
    store = Store(args.items_max, args.sessions_max, args.api_token)
    for i in range(args.items_seed):
        store.add("seed", "item %d" % (i + 1))
    add_api_routes(app, store)
    return app


async def serve(args, path):
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.io_threads)
    runner = web.AppRunner(make_app(args, path, pool), access_log=None)
    await runner.setup()
    loop = asyncio.get_running_loop()
    if args.profile:
        # before the port opens: once it answers, SIGUSR1 may come
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import pyprofile
        pyprofile.install(loop, args.profile)
    site = web.TCPSite(runner, args.host, args.port, backlog=args.backlog,
                       reuse_address=True)
    await site.start()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    port = args.port or site._server.sockets[0].getsockname()[1]     # --port 0: any free one
    print("listening on %d (%s)" % (port, type(loop).__module__), flush=True)
    await stop.wait()
    await runner.cleanup()
    pool.shutdown(wait=False)


def main(argv):
    args = parse_args(argv)
    if args.uvloop:
        aio_backend.need("uvloop", "python3-uvloop").install()
    # the file the /file routes read, unlinked at once and read through
    # this process's descriptor: nothing is left behind however the
    # process ends (a SIGKILL, or a SIGTERM before its handlers are set)
    fd, path = tempfile.mkstemp(prefix="pacer-aio-")
    os.unlink(path)
    with os.fdopen(fd, "wb", closefd=False) as f:
        f.write(os.urandom(args.file_size))
    asyncio.run(serve(args, "/proc/self/fd/%d" % fd))
    os.close(fd)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
