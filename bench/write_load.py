#!/usr/bin/python3
"""Booking and payment load for bench/write_throughput (stdlib only).

    write_load.py BASE_URL SECONDS PAIRS...

BASE_URL is http://127.0.0.1:PORT; the coordinator's bearer token is read
from the environment variable BENCH_TOKEN and a finance user's from
BENCH_FINANCE_TOKEN (kept off the command line). Each
PAIR is "PRACTITIONER_ID:PARTICIPANT_ID", or "@FILE" naming a JSON file
holding a list of [practitioner_id, participant_id] pairs. One client thread
per pair, each with ONE keep-alive connection, POSTs /api/v1/sessions for its
own practitioner and participant with successive free starts for SECONDS:
hourly UTC starts 00:00..22:00 from 2027-01-04 (or tomorrow, if later),
skipping the program's closures (GET /api/v1/closures). The practitioners must be in time zone UTC,
available every day 00:00-23:59, with 60-minute sessions and no buffer.
Then, as finance, each thread POSTs /api/v1/payments of 1.00 $ for its own
participant with a fresh Idempotency-Key each time, for SECONDS.

Prints:
    client ceiling (GET /healthz): N/s     the same loop without the booking,
                                           so the reader sees what the client
                                           itself can drive
    bookings: N/s (M errors)
    payments: N/s (M errors)
"""

import datetime
import http.client
import json
import os
import sys
import threading
import time
import urllib.parse

# Bookings in the past are refused: start tomorrow at the earliest.
FIRST_DAY = max(datetime.date(2027, 1, 4), datetime.date.today() + datetime.timedelta(days=1))
HOURS = range(0, 23)  # 60-minute sessions must end by 23:59
YEARS = range(FIRST_DAY.year, FIRST_DAY.year + 10)


def die(message):
    print(f"write_load: {message}", file=sys.stderr)
    sys.exit(2)


def parse_pairs(args):
    pairs = []
    for arg in args:
        if arg.startswith("@"):
            with open(arg[1:], encoding="utf-8") as f:
                pairs.extend((str(p), str(q)) for p, q in json.load(f))
        else:
            p, sep, q = arg.partition(":")
            if not sep or not p.isdigit() or not q.isdigit():
                die(f"a pair is PRACTITIONER_ID:PARTICIPANT_ID or @FILE, got {arg!r}")
            pairs.append((p, q))
    if not pairs:
        die("at least one pair is required")
    return pairs


class Client:
    """One keep-alive connection; reconnects only if the server closes it."""

    def __init__(self, host, port, token):
        self.host, self.port = host, port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.reconnects = 0

    def request(self, method, path, body=None, headers=None):
        try:
            self.connection.request(method, path, body=body, headers=dict(self.headers, **(headers or {})))
            response = self.connection.getresponse()
            data = response.read()
            if response.will_close:
                self._reconnect()
            return response.status, data
        except (http.client.HTTPException, OSError) as e:
            self._reconnect()
            return 0, str(e).encode()

    def _reconnect(self):
        self.connection.close()
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.reconnects += 1

    def close(self):
        self.connection.close()


def closed_days(host, port, token):
    client = Client(host, port, token)
    days = set()
    for year in YEARS:
        status, data = client.request("GET", f"/api/v1/closures?year={year}")
        if status != 200:
            die(f"GET /api/v1/closures?year={year} answered {status}: {data[:300]!r}")
        days.update(datetime.date.fromisoformat(item["date"]) for item in json.loads(data)["items"])
    client.close()
    return days


def free_starts(closed):
    day = FIRST_DAY
    while True:
        if day not in closed:
            for hour in HOURS:
                yield f"{day.isoformat()}T{hour:02d}:00:00Z"
        day += datetime.timedelta(days=1)


def run(host, port, token, seconds, count, make_request):
    """count threads, each looping make_request(client, index) for seconds.
    Returns (rate per second, successes, errors, first error samples, latencies)."""
    barrier = threading.Barrier(count + 1)
    results = [None] * count
    deadline = [0.0]

    def worker(index):
        client = Client(host, port, token)
        step = make_request(index)
        ok = errors = 0
        samples = []
        latencies = []
        barrier.wait()
        while time.monotonic() < deadline[0]:
            t0 = time.monotonic()
            success, status, data = step(client)
            latencies.append(time.monotonic() - t0)
            if success:
                ok += 1
            else:
                errors += 1
                if len(samples) < 3:
                    samples.append(f"{status} {data[:300]!r}")
        client.close()
        results[index] = (ok, errors, samples, latencies, client.reconnects)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    deadline[0] = time.monotonic() + seconds
    began = time.monotonic()
    barrier.wait()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    ok = sum(r[0] for r in results)
    errors = sum(r[1] for r in results)
    samples = [s for r in results for s in r[2]]
    latencies = sorted(x for r in results for x in r[3])
    reconnects = sum(r[4] for r in results)
    return ok / elapsed, ok, errors, samples, latencies, reconnects


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def describe(latencies, reconnects):
    text = f"latency p50 {percentile(latencies, 0.5) * 1000:.1f} ms, p99 {percentile(latencies, 0.99) * 1000:.1f} ms"
    if reconnects:
        text += f", {reconnects} reconnects"
    return text


def main():
    if len(sys.argv) < 4:
        die("usage: write_load.py BASE_URL SECONDS PAIRS... (tokens in BENCH_TOKEN, BENCH_FINANCE_TOKEN)")
    base = urllib.parse.urlsplit(sys.argv[1])
    if base.scheme != "http" or not base.hostname or not base.port:
        die(f"BASE_URL must be http://HOST:PORT, got {sys.argv[1]!r}")
    try:
        seconds = float(sys.argv[2])
    except ValueError:
        die(f"SECONDS must be a number, got {sys.argv[2]!r}")
    token = os.environ.get("BENCH_TOKEN", "")
    if not token:
        die("BENCH_TOKEN must hold the coordinator's bearer token")
    finance_token = os.environ.get("BENCH_FINANCE_TOKEN", "")
    if not finance_token:
        die("BENCH_FINANCE_TOKEN must hold a finance user's bearer token")
    pairs = parse_pairs(sys.argv[3:])
    host, port = base.hostname, base.port
    closed = closed_days(host, port, token)

    def healthz(_index):
        def step(client):
            status, data = client.request("GET", "/healthz")
            return status == 200, status, data

        return step

    def booking(index):
        practitioner, participant = pairs[index]
        starts = free_starts(closed)

        def step(client):
            body = json.dumps({"practitioner_id": practitioner, "participant_id": participant, "start": next(starts)})
            status, data = client.request("POST", "/api/v1/sessions", body)
            return status == 201, status, data

        return step

    def payment(index):
        _, participant = pairs[index]
        counter = [0]

        def step(client):
            counter[0] += 1
            body = json.dumps({"participant_id": participant, "amount_cents": 100, "method": "cash",
                               "received_on": "2026-11-20"})
            status, data = client.request("POST", "/api/v1/payments", body,
                                          {"Idempotency-Key": f"bench-{index}-{counter[0]}"})
            return status == 201, status, data

        return step

    rate, _, errors, samples, latencies, reconnects = run(host, port, token, seconds, len(pairs), healthz)
    print(f"client ceiling (GET /healthz): {rate:.0f}/s", flush=True)
    print(f"  ({errors} errors; {describe(latencies, reconnects)})", flush=True)
    rate, ok, errors, samples, latencies, reconnects = run(host, port, token, seconds, len(pairs), booking)
    print(f"bookings: {rate:.0f}/s ({errors} errors)", flush=True)
    print(f"  ({ok} booked; {describe(latencies, reconnects)})", flush=True)
    all_errors = errors
    for sample in samples[:5]:
        print(f"  error: {sample}", file=sys.stderr)
    rate, ok, errors, samples, latencies, reconnects = run(host, port, finance_token, seconds, len(pairs), payment)
    print(f"payments: {rate:.0f}/s ({errors} errors)", flush=True)
    print(f"  ({ok} recorded; {describe(latencies, reconnects)})", flush=True)
    for sample in samples[:5]:
        print(f"  error: {sample}", file=sys.stderr)
    return 1 if errors or all_errors else 0


if __name__ == "__main__":
    sys.exit(main())
