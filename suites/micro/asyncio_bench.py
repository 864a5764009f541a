"""asyncio_bench.py: asyncio's primitives and JSON encoding timed by pacer.

    pacer run suites/micro/asyncio_bench.py         (a result, with statistics)
    PYTHONPATH=harness/lib python3 suites/micro/asyncio_bench.py   (a table)

The coroutines run on one event loop per worker process (pacer.py's
default); sleep0 also on a fresh loop per sample, and on uvloop's loop
where python3-uvloop is installed (else it is skipped), to compare the two
loops on the same await.
"""
import asyncio
import json

import pacer


async def _nothing():
    pass


@pacer.bench(group="task")
async def create_task():
    """A task made, scheduled, run to its end and awaited."""
    await asyncio.create_task(_nothing())


@pacer.bench(group="task", params={"n": [10]})
async def gather(n):
    """n coroutines gathered: n tasks and their one future."""
    await asyncio.gather(*(_nothing() for _ in range(n)))


@pacer.bench(group="future")
async def call_soon_result():
    """A future resolved by a callback on the next loop iteration."""
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_soon(fut.set_result, None)
    await fut


@pacer.bench(group="queue", setup=lambda: asyncio.Queue())
async def put_get(q):
    """One item through an asyncio.Queue, which never waits."""
    q.put_nowait(1)
    await q.get()


@pacer.bench(group="queue", setup=lambda: asyncio.Queue(maxsize=1))
async def handoff(q):
    """One item handed to a consumer task that waits for it."""
    consumer = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    await q.put(1)
    await consumer


@pacer.bench(group="sleep0")
async def asyncio_loop():
    """One trip around asyncio's own loop."""
    await asyncio.sleep(0)


@pacer.bench(group="sleep0", loop="fresh")
async def asyncio_fresh_loop():
    """The same on a new loop for each sample."""
    await asyncio.sleep(0)


@pacer.bench(group="sleep0", uvloop=True)
async def uvloop_loop():
    """The same trip around uvloop's loop."""
    await asyncio.sleep(0)


def _doc(keys):
    return {f"key{i}": [i, str(i), i / 3, None, True] for i in range(keys)}


@pacer.bench(group="json", params={"keys": pacer.range(1, 256, 16)}, setup=_doc)
def dumps(doc, keys):
    json.dumps(doc)


@pacer.bench(group="json", params={"keys": pacer.range(1, 256, 16)},
             setup=lambda keys: json.dumps(_doc(keys)))
def loads(text, keys):
    json.loads(text)


if __name__ == "__main__":
    pacer.main()
