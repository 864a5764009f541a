"""delayproxy.py: a TCP proxy on loopback that makes some answers slow.

Forwards every connection on --port to 127.0.0.1:--to.  Of the chunks the
server sends back, every --every-th (counted over all connections) is held
--delay seconds before it is passed on; the others pass at once.  Order on
each connection is kept, so a held answer also holds what follows it on
the same connection, as a slow command does on a real connection to a
store.  Stands in for a backing store with a slow tail (a big key, a
blocked shard, a lost packet) in suites/macro/asyncio-tuning.json.

Prints "listening on PORT" once it accepts connections; exits on SIGTERM
or SIGINT.
"""

import argparse
import asyncio
import itertools
import signal
import sys


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--port", type=int, required=True, help="where to listen (127.0.0.1)")
    p.add_argument("--to", type=int, required=True, help="the server's port on 127.0.0.1")
    p.add_argument("--delay", type=float, default=0.2, help="seconds a held chunk waits")
    p.add_argument("--every", type=int, default=50,
                   help="hold every N-th chunk from the server (0: none)")
    return p.parse_args(argv)


async def pump(reader, writer, hold=None):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            if hold is not None and hold():
                await asyncio.sleep(hold.delay)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


class Hold:
    def __init__(self, every, delay):
        self.count = itertools.count(1)
        self.every = every
        self.delay = delay

    def __call__(self):
        return self.every > 0 and next(self.count) % self.every == 0


async def serve(args):
    hold = Hold(args.every, args.delay)

    async def on_client(creader, cwriter):
        try:
            sreader, swriter = await asyncio.open_connection("127.0.0.1", args.to)
        except OSError:
            cwriter.close()
            return
        await asyncio.gather(pump(creader, swriter), pump(sreader, cwriter, hold))

    server = await asyncio.start_server(on_client, "127.0.0.1", args.port, backlog=1024)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("listening on %d" % args.port, flush=True)
    async with server:
        await stop.wait()


def main(argv):
    asyncio.run(serve(parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
