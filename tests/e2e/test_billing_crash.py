"""kill -9 of parcoursd during a payment storm (docs/domain.md "Money": after a
restart every acknowledged (201) payment is there exactly once and the
ledger identities hold), on SQLite and on a private MariaDB.

16 clients post payments (each with its own Idempotency-Key, 100..5000
cents) as fast as they can; after ~1.5 s the daemon gets SIGKILL (its own
PID). Each client notes, per request, the 201 answer or the connection error.
parcoursd is then started again in the same folder (same ./var/keys) on the
same database, and:

  * every acknowledged payment is listed exactly once, with its receipt
    number and amount; no receipt number twice; receipts are 1..N, no gap;
  * every account: payments_cents = the sum of its listed payments, balance
    = charges - credits - payments + refunds, and its receipts (documents)
    add up to payments_cents;
  * an acknowledged request sent again (same key, same body) replays the
    same answer and records nothing;
  * every request cut by the kill, sent again with the same key and body,
    gets 201: if it had committed, the stored answer (the payment already
    listed), else it is recorded now - once. Afterwards the payments are
    exactly acknowledged + retried, and the ledger checks hold again.

Standard library only; loopback only; every process is stopped by its own PID."""

import concurrent.futures
import hashlib
import http.client
import os
import random
import shutil
import signal
import sys
import threading
import time
import unittest

from harness import Daemon, MariaDB
from billing_fixtures import (AMOUNTS, CURRENCY, FEE, METHODS, Till, decode, encode, expect, key_header, new_key,
                              program_today, request_headers, split_number)
from scheduling_fixtures import call

CLIENTS = 16
PARTICIPANTS = 4
KILL_AFTER = 1.5          # seconds of storm before SIGKILL
MIN_AMOUNT, MAX_AMOUNT = 100, 5000
REQUEST_TIMEOUT = 30


def say(text):
    """Progress on stderr (unittest -v shows it next to the test)."""
    sys.stderr.write(f"\n    {text}")
    sys.stderr.flush()


def fingerprint(folder):
    """{relative path: sha256} of every file under folder (the key files)."""
    prints = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                prints[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return prints


class RestartedDaemon(Daemon):
    """parcoursd started again where `previous` ran: the same working folder
    (so the same ./var/keys, found by the default settings as an operator's
    restart would), the same database URL, the same extra arguments. Its log
    is daemon-restarted.log in that folder. close() stops the process (by
    its PID) but leaves the folder to `previous`, whose close() removes it."""

    def __init__(self, previous):
        super().__init__(*previous.args, database=previous.database, env=previous.extra_env,
                         listen=previous.listen, start_timeout=previous.start_timeout)
        shutil.rmtree(self.dir, ignore_errors=True)   # the fresh folder made by Daemon: not used
        self.dir = previous.dir
        self.log_path = os.path.join(self.dir, "daemon-restarted.log")

    def close(self):
        try:
            if self.alive():
                self.stop()
        finally:
            self._close_pipes()
            self._saved_log = self.log_text()


class Storm:
    """16 clients posting payments on their own keep-alive connections until
    told to stop. records: one dict per request sent, with key, body and
    either status + answer (a full HTTP answer was read) or error (the
    connection broke or was refused after the stop: cut by the kill)."""

    def __init__(self, daemon, token, participants, clients=CLIENTS, seed=None):
        self.daemon = daemon
        self.token = token
        self.participants = participants
        self.clients = clients
        self.seed = seed if seed is not None else random.randrange(1 << 30)
        self.stop = threading.Event()
        self.barrier = threading.Barrier(clients + 1)
        self.records = [[] for _ in range(clients)]
        self.early_errors = []      # broken connections before the kill (retried with the same key)
        self.crashes = []           # exceptions that are not a broken connection
        self.threads = []

    def body(self, rng, client, n):
        return {"participant_id": self.participants[rng.randrange(len(self.participants))],
                "amount_cents": rng.randint(MIN_AMOUNT, MAX_AMOUNT),
                "method": METHODS[rng.randrange(len(METHODS))],
                "received_on": self.received_on,
                "reference": f"storm-{client}-{n}"}

    def client(self, c):
        rng = random.Random(f"{self.seed}-{c}")
        mine = self.records[c]
        conn = None
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.daemon.port, timeout=REQUEST_TIMEOUT)
            conn.connect()
            self.barrier.wait(30)
            n = 0
            while not self.stop.is_set():
                body = self.body(rng, c, n)
                record = {"key": new_key(), "body": body, "client": c}
                mine.append(record)
                data = encode(body)
                headers = request_headers(self.token, body, key_header(record["key"]))
                attempts = 0
                while True:
                    attempts += 1
                    if conn is None:
                        conn = http.client.HTTPConnection("127.0.0.1", self.daemon.port, timeout=REQUEST_TIMEOUT)
                    try:
                        conn.request("POST", "/api/v1/payments", body=data, headers=headers)
                        response = conn.getresponse()
                        raw = response.read()
                        answer_headers = {k.lower(): v for k, v in response.getheaders()}
                        record["status"] = response.status
                        record["answer"] = decode(answer_headers, raw)
                        if answer_headers.get("connection", "").lower() == "close":
                            conn.close()
                            conn = None
                        break
                    except (OSError, http.client.HTTPException) as error:
                        conn.close()
                        conn = None
                        if self.stop.is_set():
                            record["error"] = f"{type(error).__name__}: {error}"
                            return
                        # Before the kill: the daemon broke a connection on its
                        # own. Noted (the test fails on it); the same key again
                        # is safe.
                        self.early_errors.append((c, record["key"], f"{type(error).__name__}: {error}"))
                        if attempts > 3:
                            record["error"] = f"{type(error).__name__}: {error}"
                            return
                n += 1
        except Exception as error:  # anything else is the test's own failure
            self.crashes.append((c, repr(error)))
        finally:
            if conn is not None:
                conn.close()

    def run(self, kill_after, kill):
        """Starts the clients, releases them together, calls kill() after
        kill_after seconds (the stop flag is raised just before, so no client
        starts a new request; those on the wire stay there), and waits for
        every client → seconds the storm lasted."""
        self.received_on = program_today().isoformat()
        self.threads = [threading.Thread(target=self.client, args=(c,), name=f"storm-{c}", daemon=True)
                        for c in range(self.clients)]
        for thread in self.threads:
            thread.start()
        try:
            self.barrier.wait(30)
            started = time.monotonic()
            time.sleep(kill_after)
        finally:
            self.stop.set()
            kill()
        lasted = time.monotonic() - started
        for thread in self.threads:
            thread.join(REQUEST_TIMEOUT + 15)
        if any(thread.is_alive() for thread in self.threads):
            raise AssertionError("a storm client was still running long after the kill")
        return lasted

    def all_records(self):
        return [record for records in self.records for record in records]


class CrashDuringPaymentStorm:
    """The scenario; the subclasses say which database."""

    def start_database(self):
        """→ database URL, or None for SQLite in the daemon's folder."""
        return None

    def setUp(self):
        self.started = time.monotonic()
        self.daemon = Daemon(database=self.start_database())
        self.addCleanup(self.daemon.close)
        self.daemon.start()
        self.till = Till(self.daemon)
        self.participants = [p["id"] for p in self.till.enrolled_many(PARTICIPANTS, workers=PARTICIPANTS)]
        self.people = {}

    # -- checks ----------------------------------------------------------------------

    def listed_payments(self):
        listed = self.till.payments()
        ids = [p["id"] for p in listed]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        self.assertFalse(repeated, f"payment ids listed more than once: {repeated[:10]}")
        receipts = [p["receipt_number"] for p in listed]
        seen, twice = set(), set()
        for receipt in receipts:
            (twice if receipt in seen else seen).add(receipt)
        self.assertFalse(twice, f"receipt numbers given twice: {sorted(twice)[:10]}")
        return {p["id"]: p for p in listed}

    def check_receipts_gapless(self, listed):
        """Receipts R-YYYY-00001 … R-YYYY-N for each year, no gap, no repeat."""
        by_year = {}
        for payment in listed.values():
            prefix, year, serial = split_number(payment["receipt_number"])
            self.assertEqual(prefix, "R", payment)
            by_year.setdefault(year, []).append(serial)
        for year, serials in by_year.items():
            serials.sort()
            missing = sorted(set(range(1, len(serials) + 1)) - set(serials))
            self.assertEqual(serials, list(range(1, len(serials) + 1)),
                             f"receipts of {year} are not 1..{len(serials)}: missing {missing[:20]}, "
                             f"highest {serials[-1] if serials else None}")

    def check_accounts(self, listed):
        """The ledger identities of every participant's account → {pid: account}."""
        accounts = {}
        for pid in self.participants:
            account = self.till.account(pid)
            accounts[pid] = account
            mine = [p for p in listed.values() if p["participant_id"] == pid]
            for key in AMOUNTS:
                self.assertIs(type(account.get(key)), int, f"{key}: {account}")
            self.assertEqual(account["currency"], CURRENCY, account)
            self.assertEqual(account["payments_cents"], sum(p["amount_cents"] for p in mine),
                             f"participant {pid}: payments_cents ≠ the sum of its {len(mine)} listed payments")
            self.assertEqual(account["balance_cents"],
                             account["charges_cents"] - account["credits_cents"] - account["payments_cents"]
                             + account["refunds_cents"],
                             f"participant {pid}: balance ≠ charges − credits − payments + refunds: "
                             f"{ {k: account[k] for k in AMOUNTS} }")
            # Nothing but the fee and payments happened here.
            self.assertEqual((account["charges_cents"], account["credits_cents"], account["refunds_cents"]),
                             (FEE, 0, 0), {k: account[k] for k in AMOUNTS})
            receipts = [d for d in account["documents"] if d["kind"] == "receipt"]
            numbers = [d["number"] for d in receipts]
            self.assertEqual(len(numbers), len(set(numbers)), f"participant {pid}: a receipt listed twice")
            self.assertEqual(sorted(numbers), sorted(p["receipt_number"] for p in mine),
                             f"participant {pid}: the account's receipts are not its payments' receipts")
            self.assertEqual(sum(d["total_cents"] for d in receipts), account["payments_cents"],
                             f"participant {pid}: receipts' totals ≠ payments_cents")
            by_number = {p["receipt_number"]: p for p in mine}
            for doc in receipts:
                self.assertEqual(doc["total_cents"], by_number[doc["number"]]["amount_cents"], doc)
        return accounts

    def check_ledger(self, listed, what):
        with self.subTest(ledger=what):
            self.check_receipts_gapless(listed)
            self.check_accounts(listed)

    def post(self, record):
        return call(self.till.daemon, "POST", "/api/v1/payments", token=self.till.finance, body=record["body"],
                    headers=key_header(record["key"]))

    def check_answer(self, answer, body, what):
        for key in ("participant_id", "amount_cents", "method", "received_on", "reference"):
            self.assertEqual(answer.get(key), body[key], f"{what}: {answer}")
        self.assertEqual(split_number(answer["receipt_number"])[0], "R", answer)

    # -- the scenario -----------------------------------------------------------------

    def test_kill_9_during_a_payment_storm(self):
        ready = time.monotonic()
        keys_dir = os.path.join(self.daemon.dir, "var", "keys")
        keys_before = fingerprint(keys_dir)
        self.assertTrue(keys_before, f"no key files under {keys_dir}")
        first_pid = self.daemon.pid
        self.assertEqual(self.till.payments(), [], "a fresh database has no payment")

        # 1. The storm, cut by SIGKILL.
        storm = Storm(self.daemon, self.till.finance, self.participants)

        def kill():
            os.kill(first_pid, signal.SIGKILL)
            self.daemon.process.wait(10)

        lasted = storm.run(KILL_AFTER, kill)
        self.assertEqual(self.daemon.process.returncode, -signal.SIGKILL, "parcoursd did not die of SIGKILL")
        self.assertFalse(storm.crashes, f"storm clients failed: {storm.crashes[:3]}")
        records = storm.all_records()
        acknowledged = [r for r in records if r.get("status") == 201]
        refused = [r for r in records if "status" in r and r["status"] != 201]
        cut = [r for r in records if "error" in r]
        self.assertEqual(len(acknowledged) + len(refused) + len(cut), len(records))
        self.assertFalse(refused, f"{len(refused)} payments refused during the storm, e.g. "
                                  f"{[(r['status'], r['answer']) for r in refused[:3]]}")
        self.assertFalse(storm.early_errors, f"connections broken before the kill: {storm.early_errors[:3]}")
        self.assertGreater(len(acknowledged), 0, "no payment acknowledged before the kill")
        self.assertGreater(len(cut), 0, "no request was on the wire when the daemon was killed")
        for record in acknowledged:
            self.assertIsInstance(record["answer"], dict, record)
            self.check_answer(record["answer"], record["body"], "storm answer")
        acked_ids = [r["answer"]["id"] for r in acknowledged]
        self.assertEqual(len(acked_ids), len(set(acked_ids)), "two acknowledged requests got one payment id")
        acked_receipts = [r["answer"]["receipt_number"] for r in acknowledged]
        self.assertEqual(len(acked_receipts), len(set(acked_receipts)), "one receipt number acknowledged twice")
        say(f"seed {storm.seed}: {len(records)} requests in {lasted:.2f} s, {len(acknowledged)} acknowledged, "
            f"{len(cut)} cut by the kill")

        # 2. parcoursd again, in the same folder (same ./var/keys), on the same database.
        restart_began = time.monotonic()
        again = RestartedDaemon(self.daemon)
        self.addCleanup(again.close)
        again.start()
        restart_took = time.monotonic() - restart_began
        self.till.daemon = again
        self.assertEqual(fingerprint(keys_dir), keys_before, "the restarted daemon changed its key files")
        expect(200, call(again, "GET", "/api/v1/users/me", token=self.till.finance),
               "the finance token after the restart")
        participant = expect(200, self.till.call("GET", f"/api/v1/participants/{self.participants[0]}"),
                             "a participant after the restart")
        self.assertTrue(participant.get("given_name"), f"personal fields unreadable after the restart: {participant}")

        # 3. Every acknowledged payment once, as acknowledged; the ledger holds.
        listed = self.listed_payments()
        lost = [r["answer"] for r in acknowledged if r["answer"]["id"] not in listed]
        self.assertFalse(lost, f"{len(lost)} acknowledged payments missing after the restart, e.g. {lost[:3]}")
        for record in acknowledged:
            answer, kept = record["answer"], listed[record["answer"]["id"]]
            self.assertEqual((kept["receipt_number"], kept["amount_cents"], kept["participant_id"], kept["reference"]),
                             (answer["receipt_number"], answer["amount_cents"], answer["participant_id"],
                              answer["reference"]), "a listed payment differs from its acknowledgement")
        unacknowledged = set(listed) - set(acked_ids)
        self.assertLessEqual(len(unacknowledged), len(cut),
                             "more unacknowledged payments than requests cut by the kill")
        self.check_ledger(listed, "after the restart")

        # 4. An acknowledged request sent again: the same answer, nothing new.
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            replays = list(pool.map(self.post, acknowledged))
        for record, (status, _, answer) in zip(acknowledged, replays):
            self.assertEqual(status, 201, f"replay of an acknowledged payment: {status} {answer!r}"[:1000])
            self.assertEqual(answer, record["answer"], "an acknowledged payment replayed another answer")
        self.assertEqual(set(self.listed_payments()), set(listed), "replaying acknowledged requests recorded payments")

        # 5. Each request cut by the kill, sent again (same key, same body): 201, once.
        committed, recorded, retried_ids = 0, 0, []
        for record in cut:
            status, _, answer = self.post(record)
            self.assertEqual(status, 201, f"retry of a request cut by the kill: {status} {answer!r}"[:1000])
            self.check_answer(answer, record["body"], "retry answer")
            self.assertNotIn(answer["id"], acked_ids, "a retry answered with another request's payment")
            if answer["id"] in listed:   # it had committed before the kill: the stored answer
                committed += 1
                self.assertEqual((listed[answer["id"]]["receipt_number"], listed[answer["id"]]["amount_cents"]),
                                 (answer["receipt_number"], answer["amount_cents"]), answer)
            else:
                recorded += 1
            retried_ids.append(answer["id"])
            again_status, _, again_answer = self.post(record)   # and once more: the same answer
            self.assertEqual((again_status, again_answer), (201, answer), "a retry's retry answered differently")
        self.assertEqual(len(retried_ids), len(set(retried_ids)), "two cut requests got one payment")
        self.assertEqual(set(listed) - set(acked_ids), {i for i in retried_ids if i in listed},
                         "a payment listed after the restart belongs to no request sent")
        final = self.listed_payments()
        self.assertEqual(len(final), len(acknowledged) + len(cut),
                         f"{len(final)} payments ≠ {len(acknowledged)} acknowledged + {len(cut)} retried")
        self.assertEqual(set(final), set(acked_ids) | set(retried_ids))
        self.check_ledger(final, "after the retries")
        for record in acknowledged:
            self.assertEqual(final[record["answer"]["id"]]["receipt_number"], record["answer"]["receipt_number"])

        say(f"{committed} cut requests had committed (replayed), {recorded} recorded on retry; "
            f"{len(final)} payments; restart {restart_took:.1f} s; setup {ready - self.started:.1f} s, "
            f"total {time.monotonic() - self.started:.1f} s")
        self.assertEqual(again.stop(), 0, again.log_text()[-3000:])


class CrashDuringPaymentStormSQLite(CrashDuringPaymentStorm, unittest.TestCase):
    pass


class CrashDuringPaymentStormMariaDB(CrashDuringPaymentStorm, unittest.TestCase):
    def start_database(self):
        mariadb = MariaDB()
        self.addCleanup(mariadb.close)
        mariadb.start()
        return mariadb.url


if __name__ == "__main__":
    unittest.main()
