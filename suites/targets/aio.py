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

With --uvloop the same app runs on uvloop's event loop instead of
asyncio's default one.  With --profile it profiles its event loop between
SIGUSR1 and SIGUSR2 (pyprofile.py: pacer load --profile-pid): its stack
sampled, or with --profile yappi yappi's wall clock.

A read from the page cache is too quick to show what blocking costs, so
each read is followed by a blocking wait of --io-latency (default 2ms),
standing in for a busy disk or a network file system.

Prints "listening on PORT" once it accepts connections; exits on SIGTERM
or SIGINT.  Run it with Debian's Python (/usr/bin/python3), which has
python3-aiohttp and python3-uvloop.
"""

import argparse
import asyncio
import concurrent.futures
import os
import signal
import sys
import tempfile
import time

from aiohttp import web


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
    p.add_argument("--profile", nargs="?", const="sample", choices=("sample", "yappi"),
                   help="profile the event loop between SIGUSR1 and SIGUSR2: its stack "
                        "sampled (default) or yappi's wall clock (pyprofile.py)")
    return p.parse_args(argv)


def slow_read(path, latency):
    """Read the whole file with blocking calls, then wait like slow storage."""
    with open(path, "rb") as f:
        data = f.read()
    time.sleep(latency)
    return data


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

    app = web.Application()
    app.router.add_get("/hello", on_hello)
    app.router.add_get("/file-blocking", on_file_blocking)
    app.router.add_get("/file-offload", on_file_offload)
    return app


async def serve(args, path):
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.io_threads)
    runner = web.AppRunner(make_app(args, path, pool), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, args.host, args.port, backlog=1024, reuse_address=True)
    await site.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    if args.profile:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import pyprofile
        pyprofile.install(loop, args.profile)
    port = args.port or site._server.sockets[0].getsockname()[1]     # --port 0: any free one
    print("listening on %d (%s)" % (port, type(loop).__module__), flush=True)
    await stop.wait()
    await runner.cleanup()
    pool.shutdown(wait=False)


def main(argv):
    args = parse_args(argv)
    if args.uvloop:
        import uvloop
        uvloop.install()
    fd, path = tempfile.mkstemp(prefix="pacer-aio-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(os.urandom(args.file_size))
        asyncio.run(serve(args, path))
    finally:
        os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
