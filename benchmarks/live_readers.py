"""Thousands of readers holding one story's live comment stream open through nginx (benchmarks/live.py).

A process of its own, so that its CPU is counted apart. It reads its orders as JSON on the first
line of its standard input ({"port", "path", "readers", "opening"}), opens every stream (HTTP/1.0,
as nginx then sends the events without chunking), says `ready <held>` on a line, records when each
comment event reaches each reader (wall clock, comparable with the poster's in the other process),
and when a second line ("stop") comes, prints what it saw as JSON on its last line: for each
comment id the arrival times, readers held at the end, failures, duplicates.
"""

import asyncio
import json
import re
import resource
import sys
import time

EVENT = re.compile(rb'event: comment\ndata: \{"id": (\d+)')


class Readers:
    def __init__(self, port, path):
        self.port, self.path = port, path
        self.arrivals = {}  # comment id → [arrival time, …]
        self.open = self.failed = self.duplicates = self.closed = 0
        self.statuses = {}

    async def reader(self, opened):
        try:
            r, w = await asyncio.open_connection("127.0.0.1", self.port)
            w.write(
                f"GET {self.path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
            )
            head = await r.readuntil(b"\r\n\r\n")
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            self.failed += 1
            opened.release()
            return
        status = head.split(b" ", 2)[1].decode()
        self.statuses[status] = self.statuses.get(status, 0) + 1
        opened.release()
        if status != "200":
            self.failed += 1
            w.close()
            return
        self.open += 1
        seen, buffer = set(), b""
        try:
            while chunk := await r.read(65536):
                now = time.time()
                buffer += chunk
                *frames, buffer = buffer.split(b"\n\n")
                for frame in frames:
                    found = EVENT.search(frame + b"\n")
                    if found:
                        pk = int(found[1])
                        if pk in seen:
                            self.duplicates += 1
                            continue
                        seen.add(pk)
                        self.arrivals.setdefault(pk, []).append(now)
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            self.open -= 1
            self.closed += 1
            w.close()

    async def run(self, count, opening):
        opened = asyncio.Semaphore(opening)  # streams being opened at once
        tasks = []
        for _n in range(count):
            await opened.acquire()
            tasks.append(asyncio.create_task(self.reader(opened)))
        for _n in range(opening):  # every stream answered (or failed)
            await opened.acquire()
        self.closed = 0  # count only what closes from now on
        held = self.open
        print(f"ready {held}", flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.readline)
        held_at_end, closed_meanwhile = self.open, self.closed
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return {
            "held": held,
            "held_at_end": held_at_end,
            "closed_meanwhile": closed_meanwhile,
            "failed": self.failed,
            "statuses": self.statuses,
            "duplicates": self.duplicates,
            "arrivals": {str(pk): times for pk, times in self.arrivals.items()},
        }


def main():
    orders = json.loads(sys.stdin.readline())
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    import uvloop

    readers = Readers(orders["port"], orders["path"])
    result = asyncio.run(
        readers.run(orders["readers"], orders.get("opening", 100)), loop_factory=uvloop.new_event_loop
    )
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
