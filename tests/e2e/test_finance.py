"""End-to-end tests of finance (docs/finance.md; docs/api.md "Finance") against
the real parcoursd over HTTP, on SQLite and on a private MariaDB: statements
imported in every format, lines identified so that overlapping downloads add
nothing, files that are not statements refused whole, matching by reference,
deposit, known payer and payment sums, the review queue, unmatching, bank fees
and returned cheques (the ledger's identity extended), deposits, period close,
audited reads and finance-only access.

Standard library only; loopback only."""

import datetime
import json
import os
import unittest

from billing_fixtures import BillingCase, MariaDBBillingCase, expect, program_today
from finance_fixtures import FORMATS, Cashier, days_ago, line, reference
from harness import Daemon, assert_problem


def problem(testcase, answer, status):
    got, headers, body = answer
    raw = body if isinstance(body, (bytes, bytearray)) else json.dumps(body).encode()
    testcase.assertEqual(got, status, raw[:600])
    return assert_problem(testcase, got, headers, raw, status)


class FinanceScenarios:
    """The scenarios, run on each database by the classes below."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cash = Cashier(cls.daemon)

    def balance(self, participant_id):
        return self.cash.account(participant_id)["balance_cents"]

    def assert_identity(self, account):
        expected = (account["charges_cents"] - account["credits_cents"] - account["payments_cents"]
                    + account["refunds_cents"] + account["returned_cents"])
        self.assertEqual(account["balance_cents"], expected, account)

    # -- import and identity -------------------------------------------------------

    def test_every_format_imports_and_the_same_lines_again_add_nothing(self):
        for fmt in FORMATS:
            with self.subTest(fmt=fmt):
                participant, account = self.cash.on_plan()
                code = participant["code"]
                first = account["installments"][0]
                lines = [line(days_ago(3), first["amount_cents"], "Virement Interac recu",
                              f"Paiement {first['reference']}", fitid=f"A-{code}-1"),
                         line(days_ago(2), -1250, "FRAIS MENSUELS", "", fitid=f"A-{code}-2")]
                result = self.cash.imported(lines, fmt)
                self.assertEqual((result["lines"], result["new_lines"]), (2, 2), result)
                self.assertEqual(result["matched"], 1, result)
                after = self.cash.account(participant["id"])
                self.assertEqual(after["payments_cents"], first["amount_cents"], after)
                self.assertEqual(after["installments"][0]["status"], "paid", after)
                self.assert_identity(after)
                again = self.cash.imported(lines, fmt)
                self.assertEqual((again["lines"], again["new_lines"], again["matched"]), (2, 0, 0), again)
                overlap = self.cash.imported(lines + [line(days_ago(1), 777, "DEPOT", "", fitid=f"A-{code}-3")], fmt)
                self.assertEqual(overlap["new_lines"], 1, overlap)
                self.assertEqual(self.cash.account(participant["id"])["payments_cents"], first["amount_cents"])

    def test_two_identical_lines_of_one_day_stay_two(self):
        same = line(days_ago(4), 4321, "DEPOT GUICHET", "sans reference")
        result = self.cash.imported([same, dict(same)], "rbc")
        self.assertEqual(result["new_lines"], 2, result)
        self.assertEqual(self.cash.imported([same, dict(same)], "rbc")["new_lines"], 0)

    def test_a_file_that_is_not_a_statement_is_refused_whole(self):
        before = len(self.cash.bank_lines())
        good = FORMATS["rbc"][0]([line(days_ago(2), 1111, "DEPOT", "ok")]).decode()
        bad_date = good.rstrip() + "\r\nChequing,01234-5012345,13/45/2026,,\"DEPOT\",\"\",10.00,\r\n"
        answer = self.cash.upload(bad_date.encode(), "text/csv", "rbc")
        body = problem(self, answer, 422)
        self.assertEqual(body["line"], 3, body)
        html = b"<!DOCTYPE html><html><body>Session expired</body></html>"
        self.assertIn("line", problem(self, self.cash.upload(html, "application/x-ofx"), 422))
        self.assertIn("line", problem(self, self.cash.upload(b"<?xml version='1.0'?><a/>", "application/xml"), 422))
        problem(self, self.cash.upload(good.encode(), "text/csv"), 400)                  # no profile
        problem(self, self.cash.upload(good.encode(), "text/csv", "nosuchbank"), 422)
        problem(self, self.cash.upload(good.encode(), "application/pdf"), 422)
        problem(self, self.cash.upload(b"", "text/csv", "rbc"), 422)
        future = FORMATS["rbc"][0]([line(days_ago(2), 1111, "DEPOT", "ok"),
                                    line(days_ago(-3), 2222, "DEPOT", "demain")])
        self.assertEqual(problem(self, self.cash.upload(future, "text/csv", "rbc"), 422)["line"], 3)
        self.assertEqual(len(self.cash.bank_lines()), before)

    def test_the_profiles_are_listed(self):
        names = [p["name"] for p in expect(200, self.cash.as_finance("GET", "/api/v1/bank-profiles"), "profiles")["items"]]
        self.assertIn("desjardins", names)
        self.assertIn("rbc", names)

    # -- matching --------------------------------------------------------------------

    def test_a_mistyped_reference_never_pays_another_installment(self):
        participant, account = self.cash.on_plan()
        first = account["installments"][0]
        ref = first["reference"]
        before = {p["id"] for p in self.cash.payments()}
        # One symbol of the code changed: the check fails; the only participant a reference one
        # typo away names is the one meant, so the line pays them, and nobody else.
        wrong = ref[:1] + ("2" if ref[1] != "2" else "3") + ref[2:]
        result = self.cash.imported([line(days_ago(2), first["amount_cents"], "Virement Interac recu", wrong)])
        self.assertEqual(result["matched"], 1, result)
        new = [p for p in self.cash.payments() if p["id"] not in before]
        self.assertEqual([p["participant_id"] for p in new], [participant["id"]], new)
        # The check character wrong: the code as written and the references one typo away name them alone.
        check = ref[-1]
        bad_check = ref[:-1] + ("A" if check != "A" else "B")
        result = self.cash.imported([line(days_ago(1), first["amount_cents"], "Virement Interac recu", bad_check)])
        self.assertEqual(result["matched"], 1, result)
        after = self.cash.account(participant["id"])
        self.assertEqual(after["payments_cents"], 2 * first["amount_cents"], after)
        # Two symbols wrong is no reference to anyone: nothing is applied.
        garbled = ref[:1] + ref[2] + ref[1] + ref[3:-1] + ("A" if check != "A" else "B")
        result = self.cash.imported([line(days_ago(1), first["amount_cents"] + 3, "Virement Interac recu", garbled)])
        self.assertEqual(result["matched"], 0, result)

    def test_an_overpayment_waits_for_review_and_staff_record_it(self):
        participant, account = self.cash.on_plan()
        owed = account["balance_cents"]
        result = self.cash.imported([line(days_ago(2), owed + 5000, "JEAN PAYEUR", account["installments"][0]["reference"])])
        self.assertEqual((result["matched"], result["proposed"]), (0, 1), result)
        queued = [l for l in self.cash.bank_lines(status="proposed") if l["amount_cents"] == owed + 5000]
        self.assertEqual(len(queued), 1)
        candidate = queued[0]["candidates"][0]
        self.assertEqual(candidate["rule"], "reference")
        self.assertEqual(candidate["installment"]["participant_id"], participant["id"])
        matched = expect(200, self.cash.match(queued[0]["id"], {"record": {"participant_id": participant["id"],
                                                                           "method": "interac"}}), "match")
        self.assertEqual(matched["status"], "matched")
        self.assertEqual(matched["match"]["rule"], "reference")
        self.assertEqual(matched["match"]["by"], self.cash.finance_user["id"])
        after = self.cash.account(participant["id"])
        self.assertEqual(after["balance_cents"], -5000, after)   # the rest is a credit, nothing written off
        self.assert_identity(after)
        # Unmatched, the payment recorded from the line stays; recording again is refused.
        self.assertEqual(expect(200, self.cash.unmatch(queued[0]["id"]), "unmatch")["status"], "unmatched")
        problem(self, self.cash.match(queued[0]["id"], {"record": {"participant_id": participant["id"],
                                                                   "method": "interac"}}), 409)
        again = expect(200, self.cash.match(queued[0]["id"], {"payment_ids": [matched["recorded_payment_id"]]}), "rematch")
        self.assertEqual(again["match"]["payments"], [matched["recorded_payment_id"]])

    def test_a_known_payer_is_proposed_once_staff_confirmed_them(self):
        participant, account = self.cash.on_plan(installments=3)
        payer = f"MARIE PAYEUSE {participant['code'][-3:]}"
        first, second = account["installments"][0], account["installments"][1]
        result = self.cash.imported([line(days_ago(5), first["amount_cents"] + 1, payer, "sans reference")])
        self.assertEqual(result["matched"], 0, result)
        lone = [l for l in self.cash.bank_lines(status="unmatched") if l["amount_cents"] == first["amount_cents"] + 1]
        expect(200, self.cash.match(lone[-1]["id"], {"record": {"participant_id": participant["id"],
                                                                "method": "interac"}}), "confirm the payer")
        owed = self.cash.account(participant["id"])["installments"]
        due = next(i for i in owed if i["seq"] == second["seq"])
        left = due["amount_cents"] - due["paid_cents"]
        result = self.cash.imported([line(days_ago(1), left, payer, "merci")])
        self.assertEqual(result["proposed"], 1, result)
        proposed = [l for l in self.cash.bank_lines(status="proposed") if l["amount_cents"] == left]
        rules = {c["rule"] for l in proposed for c in l["candidates"]}
        self.assertIn("known_payer", rules)

    def test_a_deposit_matches_one_line_by_its_total(self):
        a, _ = self.cash.on_plan()
        b, _ = self.cash.on_plan()
        p1 = expect(201, self.cash.pay(a["id"], 10000, "cheque", received_on=days_ago(6).isoformat()), "cheque")
        p2 = expect(201, self.cash.pay(b["id"], 7000, "cheque", received_on=days_ago(6).isoformat()), "cheque")
        deposit = expect(201, self.cash.deposit("cheque", [p1["id"], p2["id"]], days_ago(5)), "deposit")
        self.assertEqual((deposit["total_cents"], deposit["net_cents"]), (17000, 17000))
        problem(self, self.cash.deposit("cheque", [p1["id"]], days_ago(5)), 409)        # one deposit per payment
        problem(self, self.cash.deposit("cash", [p2["id"]], days_ago(5)), 422)          # not cash
        result = self.cash.imported([line(days_ago(4), 17000, "DEPOT AU COMPTOIR", "")])
        self.assertEqual(result["matched"], 1, result)
        deposits = expect(200, self.cash.as_finance("GET", "/api/v1/deposits"), "deposits")["items"]
        mine = next(d for d in deposits if d["id"] == deposit["id"])
        self.assertIsNotNone(mine["bank_line_id"])
        line_json = self.cash.bank_line(mine["bank_line_id"])
        self.assertEqual(line_json["match"]["rule"], "deposit")
        self.assertEqual(line_json["match"]["by"], "auto")

    def test_card_terminal_batch_with_a_fee(self):
        a, _ = self.cash.on_plan()
        p1 = expect(201, self.cash.pay(a["id"], 20000, "credit", received_on=days_ago(3).isoformat()), "card")
        deposit = expect(201, self.cash.deposit("credit", [p1["id"]], days_ago(3), fee_cents=540), "batch")
        self.assertEqual(deposit["net_cents"], 19460)
        problem(self, self.cash.deposit("credit", [p1["id"]], days_ago(3), fee_cents=-1), 422)
        result = self.cash.imported([line(days_ago(2), 19460, "MONERIS DEPOT LOT", "")])
        self.assertEqual(result["matched"], 1, result)

    def test_payments_adding_up_are_proposed_and_can_be_undone(self):
        a, _ = self.cash.on_plan()
        b, _ = self.cash.on_plan()
        p1 = expect(201, self.cash.pay(a["id"], 3301, "cash", received_on=days_ago(3).isoformat()), "cash")
        p2 = expect(201, self.cash.pay(b["id"], 4402, "cash", received_on=days_ago(2).isoformat()), "cash")
        result = self.cash.imported([line(days_ago(1), 7703, "DEPOT", "")])
        self.assertEqual(result["proposed"], 1, result)
        queued = next(l for l in self.cash.bank_lines(status="proposed") if l["amount_cents"] == 7703)
        sums = [c for c in queued["candidates"] if c["rule"] == "payment_sum"]
        self.assertEqual(sorted(sums[0]["payments"]), sorted([p1["id"], p2["id"]]))
        problem(self, self.cash.match(queued["id"], {"payment_ids": [p1["id"]]}), 422)   # does not add up
        matched = expect(200, self.cash.match(queued["id"], {"payment_ids": [p1["id"], p2["id"]]}), "match")
        self.assertEqual(matched["match"]["rule"], "payment_sum")
        problem(self, self.cash.match(queued["id"], {"payment_ids": [p1["id"], p2["id"]]}), 409)
        self.assertEqual(expect(200, self.cash.unmatch(queued["id"]), "unmatch")["status"], "unmatched")
        problem(self, self.cash.unmatch(queued["id"]), 409)
        self.assertEqual(expect(200, self.cash.match(queued["id"], {"payment_ids": [p2["id"], p1["id"]]}),
                                "match again")["status"], "matched")

    def test_bank_fees_and_a_returned_cheque(self):
        participant, account = self.cash.on_plan()
        cheque = expect(201, self.cash.pay(participant["id"], 15000, "cheque", received_on=days_ago(6).isoformat()),
                        "cheque")
        paid = self.cash.account(participant["id"])
        self.imported = self.cash.imported([line(days_ago(3), -15000, "CHEQUE RETOURNE NSF", "", cheque="148"),
                                            line(days_ago(3), -4500, "FRAIS CHEQUE RETOURNE", "")])
        lines = self.cash.bank_lines(status="unmatched")
        nsf = next(l for l in lines if l["amount_cents"] == -15000 and "RETOURNE NSF" in l["description"])
        fee = next(l for l in lines if l["amount_cents"] == -4500)
        problem(self, self.cash.ignore(nsf["id"], {"kind": "returned_cheque"}), 422)       # which cheque?
        problem(self, self.cash.ignore(nsf["id"], {"kind": "parking"}), 422)
        returned = expect(200, self.cash.ignore(nsf["id"], {"kind": "returned_cheque", "payment_id": cheque["id"],
                                                           "note": "NSF"}), "returned cheque")
        self.assertEqual((returned["status"], returned["match"]["ignored_as"]), ("ignored", "returned_cheque"))
        after = self.cash.account(participant["id"])
        self.assertEqual(after["returned_cents"], 15000, after)
        self.assertEqual(after["balance_cents"], paid["balance_cents"] + 15000, after)
        self.assert_identity(after)
        self.assertEqual(sum(i["paid_cents"] for i in after["installments"]), 0, after)  # reopened
        problem(self, self.cash.unmatch(nsf["id"]), 409)
        problem(self, self.cash.as_finance("POST", f"/api/v1/payments/{cheque['id']}/refunds",
                                           {"amount_cents": 100, "reason": "x"},
                                           headers={"Idempotency-Key": "nsf-refund-" + cheque["id"]}), 422)
        self.assertEqual(expect(200, self.cash.ignore(fee["id"], {"kind": "bank_fee"}), "fee")["status"], "ignored")
        self.assertEqual(expect(200, self.cash.unmatch(fee["id"]), "undo fee")["status"], "unmatched")

    def test_reads_are_audited_and_finance_only(self):
        self.cash.imported([line(days_ago(2), 999, "DEPOT", "audit")])
        self.cash.bank_lines()
        entries = expect(200, self.cash.call("GET", "/api/v1/audit?limit=200", token=self.cash.admin), "audit")
        self.assertIn("bank_line.list", [e["action"] for e in entries["items"]])
        for token in (self.cash.admin, self.cash.coordinator):
            for method, path in (("GET", "/api/v1/bank-lines"), ("GET", "/api/v1/deposits"),
                                 ("GET", "/api/v1/bank-profiles")):
                self.assertEqual(self.cash.call(method, path, token=token)[0], 403, path)

class PeriodClose:
    """Closing a month: a daemon of its own, since a closed month refuses
    what the other scenarios date in it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cash = Cashier(cls.daemon)

    def test_a_closed_month_takes_nothing_more(self):
        today = program_today()
        month_start = today.replace(day=1)
        previous = (month_start - datetime.timedelta(days=1)).replace(day=1)
        name = f"{previous.year:04d}-{previous.month:02d}"
        participant, _ = self.cash.on_plan()
        self.cash.imported([line(previous, 1234, "DEPOT INCONNU", "close")])
        answer = self.cash.as_finance("POST", f"/api/v1/periods/{name}/close", {})
        body = problem(self, answer, 409)
        self.assertGreaterEqual(int(body["open_lines"]), 1)
        problem(self, self.cash.as_finance("POST", f"/api/v1/periods/{name}/close", {"force": True}), 422)
        closed = expect(201, self.cash.as_finance("POST", f"/api/v1/periods/{name}/close",
                                                  {"force": True, "reason": "ligne inconnue suivie à part"}), "close")
        self.assertTrue(closed["forced"])
        problem(self, self.cash.as_finance("POST", f"/api/v1/periods/{name}/close",
                                           {"force": True, "reason": "encore"}), 409)
        problem(self, self.cash.pay(participant["id"], 500, "cash", received_on=previous.isoformat()), 409)
        p = expect(201, self.cash.pay(participant["id"], 500, "cash", received_on=today.isoformat()), "today")
        problem(self, self.cash.deposit("cash", [p["id"]], previous), 409)
        current = f"{today.year:04d}-{today.month:02d}"
        problem(self, self.cash.as_finance("POST", f"/api/v1/periods/{current}/close", {}), 422)
        problem(self, self.cash.as_finance("POST", "/api/v1/periods/2026-13/close", {}), 404)
        old = next(l for l in self.cash.bank_lines(status="unmatched") if l["amount_cents"] == 1234)
        problem(self, self.cash.ignore(old["id"], {"kind": "other", "note": "x"}), 409)



class DocumentedSamples(unittest.TestCase):
    """Each example file of docs/samples imports as docs/finance.md says,
    the generic one through its documented profile; a second import adds
    nothing."""

    SAMPLES = [("desjardins.csv", "text/csv", "desjardins"), ("rbc.csv", "text/csv", "rbc"),
               ("generic.csv", "text/csv", "releve-caisse-x"), ("statement-ofx1.ofx", "application/x-ofx", None),
               ("statement-ofx2.ofx", "application/x-ofx", None), ("camt053.xml", "application/xml", None)]

    def test_every_sample_imports(self):
        samples = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "samples")
        daemon = Daemon("--set", f"finance.bank_profiles_file={os.path.join(samples, 'generic-profile.json')}")
        self.addCleanup(daemon.close)
        daemon.start()
        cash = Cashier(daemon)
        profiles = expect(200, cash.as_finance("GET", "/api/v1/bank-profiles"), "profiles")["items"]
        self.assertIn("releve-caisse-x", [p["name"] for p in profiles])
        for name, content_type, profile in self.SAMPLES:
            with self.subTest(sample=name):
                with open(os.path.join(samples, name), "rb") as f:
                    data = f.read()
                status, _, raw = cash.upload(data, content_type, profile)
                self.assertEqual(status, 201, raw[:400])
                first = json.loads(raw)
                self.assertGreater(first["new_lines"], 0, first)
                self.assertEqual(first["lines"], first["new_lines"], first)
                again = json.loads(cash.upload(data, content_type, profile)[2])
                self.assertEqual(again["new_lines"], 0, again)


class SQLiteFinance(FinanceScenarios, BillingCase):
    pass


class MariaDBFinance(FinanceScenarios, MariaDBBillingCase):
    pass


class SQLitePeriodClose(PeriodClose, BillingCase):
    pass


class MariaDBPeriodClose(PeriodClose, MariaDBBillingCase):
    pass


if __name__ == "__main__":
    unittest.main()
