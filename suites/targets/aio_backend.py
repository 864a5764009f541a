"""aio_backend.py: the backing store and outbound routes of aio.py.

Each route comes with the switch that tunes it, so that a suite can load
the same route before and after (suites/macro/asyncio-*.json):

  GET  /counter        one redis command (INCR): the cost of reaching the
                       store, with a pool of connections (--redis-pool N)
                       or a new connection per request (--redis-pool 0)
  POST /cart           a JSON body {"user": U, "sku": S, "qty": N} parsed,
                       then four redis commands one after the other
                       (HINCRBY, EXPIRE, INCR, HLEN); answers
                       {"user": U, "lines": N, "carts": TOTAL}
  POST /cart-pipelined the same four commands in one round trip
  GET  /outbound-blocking  a GET of --backend's URL with http.client (what
                       urllib uses; one kept-alive connection) inside the
                       handler: the event loop stops until it answers
  GET  /outbound       the same GET through one reused aiohttp client
                       session: the loop serves others meanwhile

--redis-timeout SECONDS bounds each backend call (redis's socket timeout:
a call that takes longer is abandoned with its connection and the request
answers 504).  --limit N lets at most N requests be handled at once (an
asyncio.Semaphore around every handler); a request that finds no room
within --limit-wait seconds is shed at once with 503, so that what is
admitted keeps its latency.  Errors from the store answer 502.
"""

import asyncio
import http.client
import json
import sys
import urllib.parse


def need(module, package):
    """Import module, or say in one line which Debian package to install."""
    try:
        return __import__(module, fromlist=["_"])
    except ImportError as e:
        sys.stderr.write("aio.py: cannot import %s (%s): install the Debian package %s\n"
                         % (module, e, package))
        sys.exit(3)


def add_options(p):
    p.add_argument("--redis", type=int, metavar="PORT",
                   help="the redis server's port on 127.0.0.1: adds /counter and /cart")
    p.add_argument("--redis-pool", type=int, default=16, metavar="N",
                   help="connections in the pool to redis; 0: a new connection per request "
                        "(default 16)")
    p.add_argument("--redis-timeout", type=float, metavar="SECONDS",
                   help="abandon a redis call that takes longer (answer 504)")
    p.add_argument("--limit", type=int, default=0, metavar="N",
                   help="handle at most N requests at once, shed the rest with 503 (default: "
                        "no limit)")
    p.add_argument("--limit-wait", type=float, default=0.005, metavar="SECONDS",
                   help="how long a request may wait for room under --limit (default 0.005)")
    p.add_argument("--backend", metavar="URL",
                   help="the URL the /outbound routes GET (another local HTTP service)")


class Store:
    """The redis client: one pool shared by every request, or none."""

    def __init__(self, args):
        self.redis = need("redis.asyncio", "python3-redis")
        self.exc = need("redis.exceptions", "python3-redis")
        self.port = args.redis
        self.timeout = args.redis_timeout
        self.pool = None
        if args.redis_pool > 0:
            self.pool = self.redis.BlockingConnectionPool(
                host="127.0.0.1", port=self.port, max_connections=args.redis_pool,
                timeout=None, socket_timeout=self.timeout)
            self.shared = self.redis.Redis(connection_pool=self.pool)

    async def call(self, fn):
        """fn(client) with a pooled client, or a client of its own."""
        if self.pool is not None:
            return await fn(self.shared)
        client = self.redis.Redis(host="127.0.0.1", port=self.port,
                                  socket_timeout=self.timeout, single_connection_client=True)
        try:
            return await fn(client)
        finally:
            await client.close()
            await client.connection_pool.disconnect()

    async def close(self):
        if self.pool is not None:
            await self.shared.close()
            await self.pool.disconnect()


def add_routes(app, args, web):
    """The routes of the switches given; returns the middlewares to install."""
    middlewares = []
    if args.limit > 0:
        room = asyncio.Semaphore(args.limit)

        @web.middleware
        async def limit(request, handler):
            try:
                await asyncio.wait_for(room.acquire(), args.limit_wait)
            except asyncio.TimeoutError:
                return web.Response(status=503, text="overloaded: request shed\n")
            try:
                return await handler(request)
            finally:
                room.release()
        middlewares.append(limit)
    if args.redis:
        add_store_routes(app, Store(args), web)
    if args.backend:
        add_outbound_routes(app, args.backend, web)
    return middlewares


def add_store_routes(app, store, web):
    async def backend(request, fn):
        try:
            return await store.call(fn), None
        except store.exc.TimeoutError:
            return None, web.Response(status=504, text="backend timeout\n")
        except (store.exc.RedisError, OSError) as e:
            return None, web.Response(status=502, text="backend: %s\n" % e)

    async def on_counter(request):
        n, bad = await backend(request, lambda r: r.incr("hits"))
        return bad or web.Response(text="%d\n" % n)

    async def cart_body(request):
        try:
            body = await request.json()
            user, sku, qty = str(body["user"]), str(body["sku"]), int(body["qty"])
        except (ValueError, KeyError, TypeError):
            return None
        return user, sku, qty

    async def sequential(r, user, sku, qty):
        key = "cart:" + user
        await r.hincrby(key, sku, qty)
        await r.expire(key, 3600)
        carts = await r.incr("carts")
        lines = await r.hlen(key)
        return lines, carts

    async def pipelined(r, user, sku, qty):
        key = "cart:" + user
        async with r.pipeline(transaction=False) as p:
            p.hincrby(key, sku, qty)
            p.expire(key, 3600)
            p.incr("carts")
            p.hlen(key)
            _, _, carts, lines = await p.execute()
        return lines, carts

    def cart(how):
        async def on_cart(request):
            got = await cart_body(request)
            if got is None:
                return web.Response(status=400,
                                    text='expected {"user": U, "sku": S, "qty": N}\n')
            res, bad = await backend(request, lambda r: how(r, *got))
            if bad:
                return bad
            return web.Response(text=json.dumps({"user": got[0], "lines": res[0],
                                                 "carts": res[1]}),
                                content_type="application/json")
        return on_cart

    async def on_cleanup(app):
        await store.close()

    app.router.add_get("/counter", on_counter)
    app.router.add_post("/cart", cart(sequential))
    app.router.add_post("/cart-pipelined", cart(pipelined))
    app.on_cleanup.append(on_cleanup)


def add_outbound_routes(app, url, web):
    aiohttp = need("aiohttp", "python3-aiohttp")
    session = {}
    u = urllib.parse.urlsplit(url)
    target = (u.path or "/") + ("?" + u.query if u.query else "")
    kept = {}

    def fetch_blocking():
        """GET url on the kept connection (a new one after a failure)."""
        for attempt in (1, 2):
            if "c" not in kept:
                kept["c"] = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=10)
            try:
                kept["c"].request("GET", target)
                resp = kept["c"].getresponse()
                return resp.status, resp.read()
            except (OSError, http.client.HTTPException):
                kept.pop("c").close()
                if attempt == 2:
                    raise

    async def on_blocking(request):
        try:
            status, body = fetch_blocking()          # the loop stops here
        except (OSError, http.client.HTTPException) as e:
            return web.Response(status=502, text="backend: %s\n" % e)
        return web.Response(status=200 if status == 200 else 502,
                            text="backend said %d bytes\n" % len(body))

    async def on_outbound(request):
        if "s" not in session:
            session["s"] = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=0, keepalive_timeout=30))
        async with session["s"].get(url) as resp:
            body = await resp.read()
            status = resp.status
        return web.Response(status=200 if status == 200 else 502,
                            text="backend said %d bytes\n" % len(body))

    async def on_cleanup(app):
        if "s" in session:
            await session["s"].close()

    app.router.add_get("/outbound-blocking", on_blocking)
    app.router.add_get("/outbound", on_outbound)
    app.on_cleanup.append(on_cleanup)
