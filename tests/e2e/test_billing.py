"""End-to-end tests of billing (docs/domain.md "Money"; docs/api.md "Billing and documents") against
the real parcoursd over HTTP, on SQLite and on a private MariaDB: the fee
invoice issued at enrolment, accounts, payment plans (split, due dates,
re-planning), payments and their allocation, receipts numbered without gaps
(also under 32 clients at once), Idempotency-Key, refunds, fee adjustments
and credit notes, documents that never change, a withdrawn participant's
late payment, and hostile input that gets a clear 4xx and stores nothing.

Money is integer cents in CAD everywhere; document numbers are
PREFIX-YYYY-NNNNN, the year being the year of issue in America/Toronto.
Standard library only; loopback only; every process is stopped by its own PID."""

import datetime
import json
import re
import unittest

from harness import assert_problem
from billing_fixtures import (AMOUNTS, CURRENCY, FEE, KINDS, METHODS, TORONTO, BillingCase, MariaDBBillingCase,
                              call, call_raw, create_user, expect, hammer, instant, key_header, new_key, number, program_today, race,
                              split_number, this_year)

INSTALLMENT_STATUSES = ("open", "partial", "paid", "overdue", "replaced")
PAYMENT_FIELDS = ("id", "participant_id", "amount_cents", "currency", "method", "received_on", "reference",
                  "receipt_number")
CLIENTS = 32
PAYMENTS = 1000
SAME_KEY_CLIENTS = 50


# Payment references (docs/domain.md "Payment references"): "P" + the participant
# code without its dash, "-", the installment number, "-", a check character that
# makes the weighted sum (weights 1, 2, 1, 2, ...) ≡ 0 mod 31. Read back here
# independently of the daemon's code.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = CODE_ALPHABET + "U"
REFERENCE = re.compile(r"^P([2-9A-HJKMNP-TV-Z]{6})-([1-9][0-9]*)-([2-9A-HJKMNP-Z])$")


def read_reference(text):
    """text → (participant code, installment number), or None when malformed or its check fails."""
    match = REFERENCE.match(text)
    if not match:
        return None
    code, seq, check = match.groups()
    digit_values = {"0": 30, "1": 29}
    values = [CODE_ALPHABET.index(c) for c in code]
    values += [digit_values.get(d, CODE_ALPHABET.index(d) if d in CODE_ALPHABET else -1) for d in seq]
    values.append(CHECK_ALPHABET.index(check))
    total = sum(v * (1 if i % 2 == 0 else 2) for i, v in enumerate(values))
    return ("P-" + code, int(seq)) if total % 31 == 0 else None


def problem_of(testcase, answer, *statuses):
    """answer (status, headers, body) must be a problem+json with one of
    statuses → the problem. The body may be bytes or already decoded."""
    status, headers, body = answer
    if not isinstance(body, (bytes, bytearray)):
        body = json.dumps(body).encode()
    testcase.assertIn(status, statuses, body[:500])
    return assert_problem(testcase, status, headers, body, status)


def days_ago(days):
    return (program_today() - datetime.timedelta(days=days)).isoformat()


class Checks:
    """Shape and invariant checks shared by the scenarios."""

    def assert_cents(self, value, what):
        self.assertIs(type(value), int, f"{what}: {value!r} is not integer cents")

    def check_document_summary(self, doc, what):
        for key in ("number", "kind", "issued_at", "total_cents", "currency"):
            self.assertIn(key, doc, f"{what}: {doc}")
        prefix, year, _ = split_number(doc["number"])
        self.assertEqual(doc["kind"], KINDS[prefix], f"{what}: {doc}")
        self.assert_cents(doc["total_cents"], f"{what} total_cents")
        self.assertGreaterEqual(doc["total_cents"], 0, f"{what}: totals are positive cents: {doc}")
        self.assertEqual(doc["currency"], CURRENCY, doc)
        issued = instant(doc["issued_at"])
        self.assertIsNotNone(issued.utcoffset(), f"{what}: issued_at without an offset: {doc}")
        self.assertEqual(issued.astimezone(TORONTO).year, year,
                         f"{what}: the number's year is not the year of issue in America/Toronto: {doc}")

    def check_account(self, account, participant_id):
        for key in ("participant_id", "currency", "installments", "documents", *AMOUNTS):
            self.assertIn(key, account, account)
        self.assertEqual(account["participant_id"], participant_id, account)
        self.assertEqual(account["currency"], CURRENCY, account)
        for key in AMOUNTS:
            self.assert_cents(account[key], key)
        self.assertEqual(account["balance_cents"],
                         account["charges_cents"] - account["credits_cents"] - account["payments_cents"]
                         + account["refunds_cents"],
                         f"balance ≠ charges − credits − payments + refunds: {account}")
        seqs = []
        for item in account["installments"]:
            self.check_installment(item)
            seqs.append(item["seq"])
        self.assertEqual(len(seqs), len(set(seqs)), f"installment seq repeats: {account['installments']}")
        for doc in account["documents"]:
            self.check_document_summary(doc, "account document")
        numbers = [d["number"] for d in account["documents"]]
        self.assertEqual(len(numbers), len(set(numbers)), numbers)
        return account

    def check_installment(self, item):
        for key in ("seq", "due_on", "amount_cents", "paid_cents", "status", "reference"):
            self.assertIn(key, item, item)
        self.assertIs(type(item["seq"]), int, item)
        read = read_reference(item["reference"])
        self.assertIsNotNone(read, f"the payment reference does not read back: {item}")
        self.assertEqual(read[1], item["seq"], f"the payment reference names another installment: {item}")
        datetime.date.fromisoformat(item["due_on"])
        self.assert_cents(item["amount_cents"], "installment amount_cents")
        self.assert_cents(item["paid_cents"], "installment paid_cents")
        self.assertIn(item["status"], INSTALLMENT_STATUSES, item)
        self.assertTrue(0 <= item["paid_cents"] <= item["amount_cents"], item)

    def check_payment(self, payment, body):
        """A POST /payments answer against the body sent."""
        for key in PAYMENT_FIELDS + ("allocations", "unallocated_cents", "balance_cents"):
            self.assertIn(key, payment, payment)
        self.assertIsInstance(payment["id"], str, payment)
        for key in ("participant_id", "amount_cents", "method", "received_on"):
            self.assertEqual(payment[key], body[key], payment)
        self.assertEqual(payment["reference"], body.get("reference"), payment)
        self.assertEqual(payment["currency"], CURRENCY, payment)
        prefix, year, _ = split_number(payment["receipt_number"])
        self.assertEqual((prefix, year), ("R", this_year()), payment)
        self.assert_cents(payment["unallocated_cents"], "unallocated_cents")
        self.assert_cents(payment["balance_cents"], "balance_cents")
        for allocation in payment["allocations"]:
            self.assertLessEqual({"seq", "amount_cents"}, set(allocation), allocation)
            self.assert_cents(allocation["amount_cents"], "allocation amount_cents")
            self.assertGreater(allocation["amount_cents"], 0, allocation)
        allocated = sum(a["amount_cents"] for a in payment["allocations"])
        self.assertEqual(allocated + payment["unallocated_cents"], payment["amount_cents"],
                         f"allocations + credit ≠ amount: {payment}")
        return payment

    def check_listed_payment(self, listed, posted):
        for key in PAYMENT_FIELDS:
            self.assertEqual(listed.get(key), posted[key], f"{key}: listed {listed} vs posted {posted}")

    def check_document(self, doc, doc_number, kind, participant_id, total_cents):
        for key in ("number", "kind", "participant_id", "issued_at", "currency", "total_cents", "content"):
            self.assertIn(key, doc, doc)
        self.assertEqual((doc["number"], doc["kind"], doc["participant_id"], doc["total_cents"], doc["currency"]),
                         (doc_number, kind, participant_id, total_cents, CURRENCY), doc)
        self.check_document_summary(doc, "document")
        self.assertIsInstance(doc["content"], dict, doc)
        if kind in ("invoice", "credit_note"):
            self.assertIsInstance(doc["content"].get("lines"), list, doc)
            self.assertTrue(doc["content"]["lines"], f"an {kind} without lines: {doc}")
        return doc

    def rows(self, installments):
        return [(i["seq"], i["due_on"], i["amount_cents"], i["paid_cents"], i["status"]) for i in installments]

    def active(self, account):
        return [i for i in account["installments"] if i["status"] != "replaced"]

    def check_receipts_gapless(self, year=None):
        """Every receipt of the database: R-YYYY-00001 … R-YYYY-N, no gap, no repeat."""
        year = year or this_year()
        receipts = sorted(p["receipt_number"] for p in self.till.payments())
        self.assertEqual(receipts, [number("R", n, year) for n in range(1, len(receipts) + 1)])
        return len(receipts)

    def money(self, account):
        return {key: account[key] for key in AMOUNTS}


# -- scenarios 1–4, 6, 7, 9 -----------------------------------------------------------------

class BillingScenarios(Checks):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The first two enrolments of this database, before any test runs.
        cls.first = cls.till.enrolled()
        cls.second = cls.till.enrolled()

    def fresh(self):
        return self.till.enrolled()["id"]

    def account(self, participant_id, token=None):
        return self.check_account(self.till.account(participant_id, token), participant_id)

    def invoice_of(self, participant_id):
        invoices = [d for d in self.account(participant_id)["documents"] if d["kind"] == "invoice"]
        self.assertEqual(len(invoices), 1, invoices)
        return invoices[0]["number"]

    # 1 ------------------------------------------------------------------------------------

    def test_enrolment_issues_the_fee_invoice(self):
        year = this_year()
        for participant, serial in ((self.first, 1), (self.second, 2)):
            pid = participant["id"]
            with self.subTest(serial=serial):
                account = self.account(pid)
                self.assertEqual(self.money(account), {"balance_cents": FEE, "charges_cents": FEE, "credits_cents": 0,
                                                       "payments_cents": 0, "refunds_cents": 0}, account)
                self.assertEqual(account["installments"], [], account)
                invoices = [d for d in account["documents"] if d["kind"] == "invoice"]
                expected = number("F", serial, year)
                self.assertEqual([d["number"] for d in invoices], [expected], account)
                self.assertEqual(invoices[0]["total_cents"], FEE, invoices)
                listed = self.till.invoices(pid)
                self.assertEqual(len(listed), 1, listed)
                for key in ("number", "kind", "participant_id", "issued_at", "total_cents", "currency"):
                    self.assertIn(key, listed[0], listed)
                self.assertEqual((listed[0]["number"], listed[0]["kind"], listed[0]["participant_id"],
                                  listed[0]["total_cents"], listed[0]["currency"]),
                                 (expected, "invoice", pid, FEE, CURRENCY), listed)
                doc = self.check_document(self.till.document(expected), expected, "invoice", pid, FEE)
                self.assertEqual(instant(doc["issued_at"]), instant(listed[0]["issued_at"]), (doc, listed))

    def test_account_of_a_participant_never_enrolled(self):
        referred = self.till.referred()["id"]
        account = self.account(referred)
        self.assertEqual(self.money(account), dict.fromkeys(AMOUNTS, 0), account)
        self.assertEqual((account["installments"], account["documents"]), ([], []), account)
        self.assertEqual(self.till.invoices(referred), [])

    def test_account_readers(self):
        pid = self.fresh()
        _, own_token = self.till.participant_user(pid)
        as_finance = self.till.account(pid)
        self.assertEqual(self.till.account(pid, token=self.till.coordinator), as_finance)
        self.assertEqual(self.till.account(pid, token=own_token), as_finance)
        problem_of(self, self.till.account_answer(self.first["id"], token=own_token), 404)
        problem_of(self, self.till.account_answer("999999"), 404)

    # 2 ------------------------------------------------------------------------------------

    def test_payment_plan_split_allocation_and_new_plan(self):
        pid = self.fresh()
        plan = expect(201, self.till.plan(pid, 3, "2027-01-31", "monthly"), "3 monthly installments")
        self.assertEqual((plan.get("participant_id"), plan.get("balance_cents")), (pid, FEE), plan)
        for item in plan["installments"]:
            self.check_installment(item)
        self.assertEqual(self.rows(plan["installments"]),
                         [(1, "2027-01-31", 16668, 0, "open"), (2, "2027-02-28", 16666, 0, "open"),
                          (3, "2027-03-31", 16666, 0, "open")])
        self.assertEqual(self.rows(self.account(pid)["installments"]), self.rows(plan["installments"]))

        body = self.till.payment_body(pid, 20000, "interac", reference="CAx7Hq2r")
        payment = self.check_payment(expect(201, self.till.post_payment(body), "payment of 20000"), body)
        self.assertEqual(payment["allocations"], [{"seq": 1, "amount_cents": 16668}, {"seq": 2, "amount_cents": 3332}],
                         payment)
        self.assertEqual((payment["unallocated_cents"], payment["balance_cents"]), (0, 30000), payment)
        account = self.account(pid)
        self.assertEqual(self.rows(account["installments"]),
                         [(1, "2027-01-31", 16668, 16668, "paid"), (2, "2027-02-28", 16666, 3332, "partial"),
                          (3, "2027-03-31", 16666, 0, "open")])

        replan = expect(201, self.till.plan(pid, 2, "2027-04-15", "monthly"), "new plan of 2")
        self.assertEqual((replan["participant_id"], replan["balance_cents"]), (pid, 30000), replan)
        answered = {i["seq"]: i for i in replan["installments"]}
        self.assertNotIn(3, answered, "a replaced installment is among the active ones")
        self.assertLessEqual({1, 2}, set(answered), f"the paid and the partly paid installment stay: {replan}")
        self.assertEqual(self.rows([answered[1], answered[2]]),
                         [(1, "2027-01-31", 16668, 16668, "paid"), (2, "2027-02-28", 3332, 3332, "paid")],
                         f"the partly paid installment is closed at what was paid: {replan}")
        new = sorted((i for i in replan["installments"] if i["seq"] not in (1, 2, 3)), key=lambda i: i["due_on"])
        self.assertEqual([(i["due_on"], i["amount_cents"], i["paid_cents"], i["status"]) for i in new],
                         [("2027-04-15", 15000, 0, "open"), ("2027-05-15", 15000, 0, "open")], replan)

        account = self.account(pid)
        by_seq = {i["seq"]: i for i in account["installments"]}
        self.assertEqual(self.rows([by_seq[3]]), [(3, "2027-03-31", 16666, 0, "replaced")], account)
        self.assertEqual(sorted(self.rows(self.active(account))), sorted(self.rows(replan["installments"])), account)
        self.assertEqual(sum(i["amount_cents"] for i in self.active(account)), FEE, account)
        self.assertEqual(sum(i["amount_cents"] - i["paid_cents"] for i in self.active(account)),
                         account["balance_cents"], account)
        self.assertEqual(account["balance_cents"], 30000, account)

        # The next payment goes to the oldest open installment: the first new one.
        payment = expect(201, self.till.pay(pid, 15000), "payment of 15000")
        self.assertEqual(payment["allocations"], [{"seq": new[0]["seq"], "amount_cents": 15000}], payment)
        self.assertEqual(payment["balance_cents"], 15000, payment)

    def test_installments_carry_their_payment_reference(self):
        participant = self.till.enrolled()
        pid, code = participant["id"], participant["code"]
        plan = expect(201, self.till.plan(pid, 6, "2027-01-31", "monthly"), "6 monthly installments")
        account = self.account(pid)
        self.assertEqual(len(account["installments"]), 6, account)
        for answered in (plan["installments"], account["installments"]):
            for item in answered:
                self.assertIn("reference", item, item)
                self.assertEqual(read_reference(item["reference"]), (code, item["seq"]), item)
                self.assertEqual(item["reference"], "P" + code[2:] + f"-{item['seq']}-" + item["reference"][-1], item)
        # A participant's other installments and another participant's never share a reference.
        other = self.till.enrolled()
        expect(201, self.till.plan(other["id"], 6, "2027-01-31", "monthly"), "6 monthly installments")
        references = [i["reference"] for i in account["installments"] + self.account(other["id"])["installments"]]
        self.assertEqual(len(references), len(set(references)), references)
        # One mistyped symbol in a reference no longer reads back to any installment.
        reference = account["installments"][0]["reference"]
        mistyped = reference[:3] + ("2" if reference[3] != "2" else "3") + reference[4:]
        self.assertIsNone(read_reference(mistyped), mistyped)

    def test_plan_due_dates_and_splits(self):
        cases = [
            (6, "2028-01-31", "monthly", ["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30", "2028-05-31",
                                          "2028-06-30"], [8335] + [8333] * 5),
            (4, "2027-10-31", "monthly", ["2027-10-31", "2027-11-30", "2027-12-31", "2028-01-31"], [12500] * 4),
            (2, "2027-03-01", "weekly", ["2027-03-01", "2027-03-08"], [25000, 25000]),
            (3, "2027-03-01", "biweekly", ["2027-03-01", "2027-03-15", "2027-03-29"], [16668, 16666, 16666]),
            (1, "2027-12-31", "monthly", ["2027-12-31"], [FEE]),
        ]
        for count, first_due_on, frequency, dates, amounts in cases:
            with self.subTest(installments=count, first_due_on=first_due_on, frequency=frequency):
                pid = self.fresh()
                plan = expect(201, self.till.plan(pid, count, first_due_on, frequency), "plan")
                got = sorted(plan["installments"], key=lambda i: i["seq"])
                self.assertEqual([(i["due_on"], i["amount_cents"], i["paid_cents"], i["status"]) for i in got],
                                 [(d, a, 0, "open") for d, a in zip(dates, amounts)], plan)

    def test_unpaid_past_the_grace_period_is_overdue(self):
        """docs/domain.md: unpaid after its due date plus 7 days (default grace) → overdue."""
        pid = self.fresh()
        dues = [days_ago(15), days_ago(8), days_ago(1), days_ago(-6)]
        plan = expect(201, self.till.plan(pid, 4, dues[0], "weekly"), "weekly plan begun 15 days ago")
        self.assertEqual([(i["due_on"], i["amount_cents"], i["status"]) for i in plan["installments"]],
                         [(dues[0], 12500, "overdue"), (dues[1], 12500, "overdue"), (dues[2], 12500, "open"),
                          (dues[3], 12500, "open")], plan)
        payment = expect(201, self.till.pay(pid, 12500), "the first installment")
        self.assertEqual(payment["allocations"], [{"seq": plan["installments"][0]["seq"], "amount_cents": 12500}])
        self.assertEqual([i["status"] for i in self.account(pid)["installments"]], ["paid", "overdue", "open", "open"])

    def test_plan_refused(self):
        pid = self.fresh()
        before = self.account(pid)
        for count in (0, 7, -1):
            with self.subTest(installments=count):
                problem_of(self, self.till.plan(pid, count, "2027-01-31", raw=True), 422)
        for frequency in ("daily", "Monthly", "", "yearly"):
            with self.subTest(frequency=frequency):
                problem_of(self, self.till.plan(pid, 3, "2027-01-31", frequency, raw=True), 422)
        for date in ("31/01/2027", "2027-1-31", "tomorrow", "2027-01-31T00:00:00"):
            with self.subTest(first_due_on=date):
                problem_of(self, self.till.plan(pid, 3, date, raw=True), 400)
        with self.subTest(first_due_on="2027-02-30"):
            problem_of(self, self.till.plan(pid, 3, "2027-02-30", raw=True), 400, 422)
        for count in ("3", 2.5):
            with self.subTest(installments=count):
                problem_of(self, self.till.plan(pid, count, "2027-01-31", raw=True), 400, 422)
        problem_of(self, self.till.plan("999999", 3, "2027-01-31", raw=True), 404)
        self.assertEqual(self.account(pid), before, "a refused plan changed the account")

        # Nothing to split: paid in full, overpaid, never enrolled.
        expect(201, self.till.pay(pid, FEE), "payment in full")
        paid = self.account(pid)
        problem_of(self, self.till.plan(pid, 2, "2027-01-31", raw=True), 409)
        expect(201, self.till.pay(pid, 100), "overpayment")
        problem_of(self, self.till.plan(pid, 2, "2027-01-31", raw=True), 409)
        self.assertEqual(self.account(pid)["installments"], paid["installments"])
        referred = self.till.referred()["id"]
        problem_of(self, self.till.plan(referred, 2, "2027-01-31", raw=True), 409)
        self.assertEqual(self.account(referred)["installments"], [])

    # 3 ------------------------------------------------------------------------------------

    def test_receipts_in_order_and_overpayment(self):
        year = this_year()
        pid = self.fresh()
        plan = expect(201, self.till.plan(pid, 1, "2027-06-30", "monthly"), "one installment")
        seq = plan["installments"][0]["seq"]
        already = self.check_receipts_gapless(year)
        bodies = [self.till.payment_body(pid, 10000, "cash", days_ago(3)),
                  self.till.payment_body(pid, 10000, "cheque", days_ago(2), reference="chèque 004512"),
                  self.till.payment_body(pid, 10000, "debit", days_ago(1)),
                  self.till.payment_body(pid, 25000, "bank_transfer", reference="virement 88-1"),
                  self.till.payment_body(pid, 1000, "credit")]
        answers = []
        for i, body in enumerate(bodies):
            payment = self.check_payment(expect(201, self.till.post_payment(body), f"payment {i + 1}"), body)
            self.assertEqual(payment["receipt_number"], number("R", already + i + 1, year), payment)
            answers.append(payment)
        self.assertEqual([p["allocations"] for p in answers],
                         [[{"seq": seq, "amount_cents": 10000}]] * 3 + [[{"seq": seq, "amount_cents": 20000}], []])
        self.assertEqual([(p["unallocated_cents"], p["balance_cents"]) for p in answers],
                         [(0, 40000), (0, 30000), (0, 20000), (5000, -5000), (1000, -6000)])
        account = self.account(pid)
        self.assertEqual((account["payments_cents"], account["balance_cents"]), (56000, -6000), account)
        self.assertEqual(self.rows(account["installments"]), [(seq, "2027-06-30", FEE, FEE, "paid")], account)
        for payment in answers:
            doc = self.check_document(self.till.document(payment["receipt_number"]), payment["receipt_number"],
                                      "receipt", pid, payment["amount_cents"])
            receipts = [d for d in account["documents"] if d["kind"] == "receipt"]
            if receipts:  # the account may list receipts; then all of them, right
                self.assertIn(doc["number"], [d["number"] for d in receipts], account)
        listed = {p["id"]: p for p in self.till.payments(participant_id=pid)}
        self.assertEqual(sorted(listed), sorted(p["id"] for p in answers))
        for payment in answers:
            self.check_listed_payment(listed[payment["id"]], payment)
        self.check_receipts_gapless(year)

    def test_payments_list_filters_and_pages(self):
        pid = self.fresh()
        sent = [("cash", days_ago(20), None), ("cheque", days_ago(17), "chèque 1"), ("cheque", days_ago(13), "chèque 2"),
                ("interac", days_ago(10), "CA9zz"), ("bank_transfer", days_ago(10), None)]
        posted = [expect(201, self.till.pay(pid, 1000 + i, method, received_on, reference), "payment")
                  for i, (method, received_on, reference) in enumerate(sent)]
        by_id = {p["id"]: p for p in posted}

        def ids(**query):
            items = self.till.payments(participant_id=pid, **query)
            for item in items:
                self.assertIn(item["id"], by_id, item)
                self.check_listed_payment(item, by_id[item["id"]])
            return sorted(item["id"] for item in items)

        self.assertEqual(ids(), sorted(by_id))
        self.assertEqual(ids(method="cheque"), sorted(p["id"] for p in posted[1:3]))
        self.assertEqual(ids(**{"from": days_ago(17), "to": days_ago(10)}), sorted(p["id"] for p in posted[1:]),
                         "from and to are inclusive dates of receipt")
        self.assertEqual(ids(**{"from": days_ago(16), "to": days_ago(11)}), [posted[2]["id"]])
        self.assertEqual(ids(method="interac", **{"from": days_ago(10)}), [posted[3]["id"]])
        # Pages of two: every payment once.
        paged = self.till.payments(participant_id=pid, limit=2)
        self.assertEqual(sorted(p["id"] for p in paged), sorted(by_id), "paging lost or repeated payments")
        first_page = expect(200, self.till.as_finance("GET", f"/api/v1/payments?participant_id={pid}&limit=2"),
                            "first page")
        self.assertEqual(len(first_page["items"]), 2, first_page)
        self.assertIsInstance(first_page["next_cursor"], str, first_page)
        problem_of(self, self.till.as_finance("GET", "/api/v1/payments?from=yesterday"), 400)

    # 4 ------------------------------------------------------------------------------------

    def test_same_key_same_body_gives_the_same_answer(self):
        pid = self.fresh()
        key = new_key()
        body = self.till.payment_body(pid, 12345, "cheque", reference="chèque 777")
        first = self.check_payment(expect(201, self.till.post_payment(body, key=key), "first"), body)
        again = expect(201, self.till.post_payment(body, key=key), "the same again")
        self.assertEqual(again, first, "a retried payment answered differently")
        listed = self.till.payments(participant_id=pid)
        self.assertEqual([p["id"] for p in listed], [first["id"]], "the retry recorded a second payment")
        account = self.account(pid)
        self.assertEqual((account["payments_cents"], account["balance_cents"]), (12345, FEE - 12345), account)

        for other in (dict(body, amount_cents=12346), dict(body, method="cash"), dict(body, reference="chèque 778")):
            with self.subTest(other=other):
                problem_of(self, self.till.post_payment(other, key=key), 409)
        self.assertEqual(self.account(pid), account, "a 409 changed the account")
        self.assertEqual([p["id"] for p in self.till.payments(participant_id=pid)], [first["id"]])
        # And the first answer is still the one kept for the key.
        self.assertEqual(expect(201, self.till.post_payment(body, key=key), "the same a third time"), first)

    def test_idempotency_key_is_scoped_per_user_and_route(self):
        pid = self.fresh()
        key = new_key()
        body = self.till.payment_body(pid, 1000)
        first = expect(201, self.till.post_payment(body, key=key), "first finance user")
        _, other_finance = create_user(self.daemon, self.till.admin, "finance")
        second = expect(201, self.till.post_payment(body, key=key, token=other_finance), "second finance user")
        self.assertNotEqual(second["id"], first["id"], "another user's key answered with someone else's payment")
        self.assertNotEqual(second["receipt_number"], first["receipt_number"])
        refund = expect(201, self.till.refund(first["id"], 100, key=key), "the same key on the refund route")
        self.assertEqual(refund["amount_cents"], 100, refund)
        account = self.account(pid)
        self.assertEqual((account["payments_cents"], account["refunds_cents"]), (2000, 100), account)

    def test_fifty_clients_with_one_key(self):
        pid = self.fresh()
        key = new_key()
        body = self.till.payment_body(pid, 7700, "interac", reference="CA-one-key")
        results = race(self.daemon, [("POST", "/api/v1/payments", self.till.finance, body, key_header(key))]
                       * SAME_KEY_CLIENTS)
        errors = [r for r in results if isinstance(r, Exception)]
        self.assertFalse(errors, f"clients failed: {errors[:3]}")
        statuses = [r[0] for r in results]
        self.assertEqual(statuses, [201] * SAME_KEY_CLIENTS, f"statuses {sorted(statuses)}; e.g. "
                         f"{[r[2][:300] for r in results if r[0] != 201][:2]}")
        answers = [json.loads(r[2]) for r in results]
        self.check_payment(answers[0], body)
        for answer in answers[1:]:
            self.assertEqual(answer, answers[0], "one key, two different answers")
        self.assertEqual([p["id"] for p in self.till.payments(participant_id=pid)], [answers[0]["id"]],
                         "one key recorded more than one payment")
        account = self.account(pid)
        self.assertEqual((account["payments_cents"], account["balance_cents"]), (7700, FEE - 7700), account)
        self.check_receipts_gapless()

    def test_one_key_across_two_daemons(self):
        """The keys live in the database: a retry that reaches another daemon
        (at once or later) gets the same answer and records nothing more."""
        second = self.second_daemon()
        pid = self.fresh()
        key = new_key()
        body = self.till.payment_body(pid, 4400, "debit")
        requests = [("POST", "/api/v1/payments", self.till.finance, body, key_header(key))] * 20
        results = race([self.daemon, second], requests)
        errors = [r for r in results if isinstance(r, Exception)]
        self.assertFalse(errors, f"clients failed: {errors[:3]}")
        self.assertEqual([r[0] for r in results], [201] * len(requests),
                         [r[2][:300] for r in results if r[0] != 201][:2])
        answers = [json.loads(r[2]) for r in results]
        for answer in answers[1:]:
            self.assertEqual(answer, answers[0], "one key, two different answers")
        later = call(second, "POST", "/api/v1/payments", token=self.till.finance, body=body, headers=key_header(key))
        self.assertEqual((later[0], later[2]), (201, answers[0]))
        problem_of(self, call(second, "POST", "/api/v1/payments", token=self.till.finance,
                              body=dict(body, amount_cents=4401), headers=key_header(key)), 409)
        self.assertEqual([p["id"] for p in self.till.payments(participant_id=pid)], [answers[0]["id"]])
        self.assertEqual(self.account(pid)["payments_cents"], 4400)
        self.check_receipts_gapless()

    # 6 ------------------------------------------------------------------------------------

    def test_refunds_bounded_by_what_was_paid(self):
        year = this_year()
        pid = self.fresh()
        payment = expect(201, self.till.pay(pid, 20000, "cheque", reference="chèque 31"), "payment")
        before = self.account(pid)
        self.assertEqual(before["balance_cents"], 30000, before)
        problem_of(self, self.till.refund(payment["id"], 20001), 422)
        self.assertEqual(self.account(pid), before, "a refused refund changed the account")

        first = expect(201, self.till.refund(payment["id"], 5000, "trop-perçu"), "refund of 5000")
        for key in ("id", "payment_id", "amount_cents", "currency", "reason", "number", "balance_cents"):
            self.assertIn(key, first, first)
        self.assertIsInstance(first["id"], str, first)
        self.assertEqual((first["payment_id"], first["amount_cents"], first["currency"], first["reason"],
                          first["balance_cents"]), (payment["id"], 5000, CURRENCY, "trop-perçu", 35000), first)
        prefix, number_year, serial = split_number(first["number"])
        self.assertEqual((prefix, number_year), ("RR", year), first)

        middle = self.account(pid)
        problem_of(self, self.till.refund(payment["id"], 15001), 422)
        self.assertEqual(self.account(pid), middle, "a refused refund changed the account")
        second = expect(201, self.till.refund(payment["id"], 15000, "annulation"), "refund of the rest")
        self.assertEqual(second["number"], number("RR", serial + 1, year), (first, second))
        self.assertEqual(second["balance_cents"], FEE, second)
        after = self.account(pid)
        problem_of(self, self.till.refund(payment["id"], 1), 422)
        self.assertEqual(self.account(pid), after)
        self.assertEqual((after["payments_cents"], after["refunds_cents"], after["balance_cents"]),
                         (20000, 20000, FEE), after)
        for refund in (first, second):
            self.check_document(self.till.document(refund["number"]), refund["number"], "refund_receipt", pid,
                                refund["amount_cents"])

        # A refund retried with its key is recorded once; the key with another body is a conflict.
        other = expect(201, self.till.pay(pid, 1000), "second payment")
        key = new_key()
        once = expect(201, self.till.refund(other["id"], 500, "erreur", key=key), "refund")
        self.assertEqual(expect(201, self.till.refund(other["id"], 500, "erreur", key=key), "again"), once)
        problem_of(self, self.till.refund(other["id"], 600, "erreur", key=key), 409)
        account = self.account(pid)
        self.assertEqual((account["payments_cents"], account["refunds_cents"]), (21000, 20500), account)
        # Refundable is per payment: the first payment's refunds do not use the second's.
        problem_of(self, self.till.refund(other["id"], 501), 422)

    # 7 ------------------------------------------------------------------------------------

    def test_fee_reduction_increase_and_documents_that_never_change(self):
        year = this_year()
        pid = self.fresh()
        invoice_number = self.invoice_of(pid)
        invoice_before = self.check_document(self.till.document(invoice_number), invoice_number, "invoice", pid, FEE)

        reduced = expect(201, self.till.adjust(pid, 30000, "capacité de payer limitée"), "fee reduction")
        for key in ("participant_id", "fee_cents", "document", "balance_cents"):
            self.assertIn(key, reduced, reduced)
        self.assertEqual((reduced["participant_id"], reduced["fee_cents"], reduced["balance_cents"]),
                         (pid, 30000, 30000), reduced)
        note = reduced["document"]
        self.assertEqual((note.get("kind"), note.get("total_cents")), ("credit_note", 20000), reduced)
        self.assertEqual(split_number(note["number"])[:2], ("NC", year), reduced)
        account = self.account(pid)
        self.assertEqual(self.money(account), {"balance_cents": 30000, "charges_cents": FEE, "credits_cents": 20000,
                                               "payments_cents": 0, "refunds_cents": 0}, account)
        numbers = [d["number"] for d in account["documents"]]
        self.assertIn(invoice_number, numbers, account)
        self.assertIn(note["number"], numbers, account)
        self.assertEqual([i["number"] for i in self.till.invoices(pid)], [invoice_number],
                         "a credit note is not an invoice")
        note_before = self.check_document(self.till.document(note["number"]), note["number"], "credit_note", pid,
                                          20000)

        raised = expect(201, self.till.adjust(pid, 40000, "revenu revu"), "fee increase")
        extra = raised["document"]
        self.assertEqual((raised["fee_cents"], raised["balance_cents"], extra.get("kind"), extra.get("total_cents")),
                         (40000, 40000, "invoice", 10000), raised)
        self.assertEqual(split_number(extra["number"])[:2], ("F", year), raised)
        listed = self.till.invoices(pid)
        self.assertEqual(sorted(i["number"] for i in listed), sorted([invoice_number, extra["number"]]), listed)
        self.assertEqual({i["kind"] for i in listed}, {"invoice"}, listed)
        self.assertEqual({i["participant_id"] for i in listed}, {pid}, listed)

        before = self.account(pid)
        problem_of(self, self.till.adjust(pid, 40000, "même montant", raw=True), 422)
        problem_of(self, self.till.adjust(pid, -1, "négatif", raw=True), 422)
        self.assertEqual(self.account(pid), before, "a refused adjustment changed the account")

        # Later operations never touch an issued document.
        payment = expect(201, self.till.pay(pid, 10000), "payment")
        expect(201, self.till.refund(payment["id"], 2500), "refund")
        waived = expect(201, self.till.adjust(pid, 0, "exonération"), "fee waived")
        self.assertEqual((waived["fee_cents"], waived["document"]["kind"], waived["document"]["total_cents"]),
                         (0, "credit_note", 40000), waived)
        self.assertEqual(waived["balance_cents"], -7500, waived)
        self.assertEqual(self.till.document(invoice_number), invoice_before, "an issued invoice changed")
        self.assertEqual(self.till.document(note["number"]), note_before, "an issued credit note changed")
        account = self.account(pid)
        self.assertEqual(self.money(account), {"balance_cents": -7500, "charges_cents": 60000, "credits_cents": 60000,
                                               "payments_cents": 10000, "refunds_cents": 2500}, account)

    def test_fee_adjustment_honours_idempotency_key(self):
        pid = self.fresh()
        key = new_key()
        first = expect(201, self.till.adjust(pid, 45000, "réduction", key=key), "adjustment")
        again = expect(201, self.till.adjust(pid, 45000, "réduction", key=key), "the same again")
        self.assertEqual(again, first, "a retried adjustment answered differently")
        account = self.account(pid)
        self.assertEqual((account["credits_cents"], account["balance_cents"]), (5000, 45000), account)
        problem_of(self, self.till.adjust(pid, 44000, "réduction", key=key, raw=True), 409)
        self.assertEqual(self.account(pid), account)

    def test_document_access(self):
        pid = self.fresh()
        _, own_token = self.till.participant_user(pid)
        own = self.invoice_of(pid)
        foreign = self.invoice_of(self.first["id"])
        self.assertEqual(self.till.document(own, token=own_token), self.till.document(own))
        problem_of(self, self.till.document_answer(foreign, token=own_token), 404)
        problem_of(self, self.till.document_answer(own, token=self.till.coordinator), 403, 404)
        for unknown in (number("F", 99999), number("R", 99999), "F-2026-1", "nope", "..%2F..%2Fetc"):
            with self.subTest(number=unknown):
                problem_of(self, self.till.document_answer(unknown), 404)
        listed = self.till.invoices(pid, token=own_token)
        self.assertEqual([i["number"] for i in listed], [own], listed)
        status, _, body = self.till.as_finance("GET", f"/api/v1/invoices?participant_id={self.first['id']}",
                                               token=own_token)
        self.assertEqual(status, 404, body)

    # 9 ------------------------------------------------------------------------------------

    def test_withdrawn_participant_can_still_pay(self):
        pid = self.fresh()
        self.till.withdraw(pid)
        self.assertEqual(self.till.participant_status(pid), "withdrawn")
        body = self.till.payment_body(pid, 10000, "cheque", reference="chèque tardif 12")
        payment = self.check_payment(expect(201, self.till.post_payment(body), "late cheque"), body)
        self.assertEqual(payment["balance_cents"], 40000, payment)
        refund = expect(201, self.till.refund(payment["id"], 10000, "dossier fermé"), "refund to a withdrawn one")
        self.assertEqual(refund["balance_cents"], FEE, refund)
        account = self.account(pid)
        self.assertEqual((account["payments_cents"], account["refunds_cents"], account["balance_cents"]),
                         (10000, 10000, FEE), account)

    def test_withdrawn_before_enrolment_cannot_pay(self):
        pid = self.till.referred()["id"]
        self.till.withdraw(pid)
        problem_of(self, self.till.pay(pid, 10000, raw=True), 409)
        self.assertEqual(self.till.payments(participant_id=pid), [])
        self.assertEqual(self.money(self.account(pid)), dict.fromkeys(AMOUNTS, 0))


class BillingSQLiteTests(BillingScenarios, BillingCase):
    pass


class BillingMariaDBTests(BillingScenarios, MariaDBBillingCase):
    pass


# -- 5: 1000 payments from 32 clients ------------------------------------------------------

class ReceiptRace(Checks):
    """A fresh database; 1000 payments on distinct keys from 32 clients at once
    → receipts exactly R-YYYY-00001 … R-YYYY-01000."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.participants = [p["id"] for p in cls.till.enrolled_many(8)]

    def test_thousand_payments_from_32_clients(self):
        year = this_year()
        self.assertEqual(self.till.payments(), [], "this database should have no payment yet")
        bodies = [self.till.payment_body(self.participants[j % len(self.participants)], 100 + j,
                                         METHODS[j % len(METHODS)], reference=f"lot-{j}")
                  for j in range(PAYMENTS)]
        jobs = [("POST", "/api/v1/payments", self.till.finance, body, key_header(new_key())) for body in bodies]
        results = hammer(self.daemon, jobs, CLIENTS)
        errors = [(i, r) for i, r in enumerate(results) if isinstance(r, Exception)]
        self.assertFalse(errors, f"{len(errors)} clients failed, e.g. {errors[:3]}")
        refused = [(i, r) for i, r in enumerate(results) if r[0] != 201]
        self.assertFalse(refused, f"{len(refused)} payments refused, e.g. {refused[:3]}")
        answers = [r[1] for r in results]
        for body, answer in zip(bodies, answers):
            self.assertEqual((answer["participant_id"], answer["amount_cents"], answer["reference"]),
                             (body["participant_id"], body["amount_cents"], body["reference"]), answer)
        receipts = sorted(a["receipt_number"] for a in answers)
        self.assertEqual(len(set(receipts)), PAYMENTS, "a receipt number was given twice")
        self.assertEqual(receipts, [number("R", n, year) for n in range(1, PAYMENTS + 1)])
        self.assertEqual(len({a["id"] for a in answers}), PAYMENTS, "a payment id was given twice")

        listed = self.till.payments()
        self.assertEqual(sorted((p["id"], p["receipt_number"]) for p in listed),
                         sorted((a["id"], a["receipt_number"]) for a in answers))
        for pid in self.participants:
            total = sum(b["amount_cents"] for b in bodies if b["participant_id"] == pid)
            account = self.check_account(self.till.account(pid), pid)
            self.assertEqual((account["payments_cents"], account["balance_cents"]), (total, FEE - total), account)


class ReceiptRaceSQLiteTests(ReceiptRace, BillingCase):
    pass


class ReceiptRaceMariaDBTests(ReceiptRace, MariaDBBillingCase):
    pass


# -- 8: hostile input ---------------------------------------------------------------------

class HostileInput(Checks):
    """Each bad request: a clear 4xx problem+json, and nothing stored (the
    accounts, the payments and the invoices are the same afterwards)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        till = cls.till
        cls.participant = till.enrolled()["id"]
        cls.referred = till.referred()["id"]
        expect(201, till.plan(cls.participant, 3, "2027-01-31", "monthly"), "plan")
        cls.payment = expect(201, till.pay(cls.participant, 10000), "payment")

    def snapshot(self):
        return (self.till.account(self.participant), self.till.account(self.referred), self.till.payments(),
                self.till.invoices())

    def setUp(self):
        self.before = self.snapshot()

    def tearDown(self):
        super().tearDown()
        self.assertEqual(self.snapshot(), self.before, "a refused request stored something")

    def pay(self, key="new", **overrides):
        body = dict(self.till.payment_body(self.participant, 1000), **overrides)
        return self.till.post_payment(body, key=key, raw=True)

    def pay_bytes(self, data, key="new"):
        key = new_key() if key == "new" else key
        return self.till.raw_finance("POST", "/api/v1/payments", data, headers=key_header(key))

    def test_payment_without_idempotency_key(self):
        problem_of(self, self.pay(key=None), 400)
        problem_of(self, self.pay(key=""), 400)

    def test_payment_amounts(self):
        # At most 100 000.00 $ (10 000 000 cents) in one payment.
        for amount in (0, -1, -FEE, 10000001, 10000000001):
            with self.subTest(amount_cents=amount):
                problem_of(self, self.pay(amount_cents=amount), 422)
        for amount in ("100", 100.5):
            with self.subTest(amount_cents=amount):
                problem_of(self, self.pay(amount_cents=amount), 400)
        for amount in (2 ** 63, 10 ** 30, 100.0, None, True, [100], {"cents": 100}):
            with self.subTest(amount_cents=amount):
                problem_of(self, self.pay(amount_cents=amount), 400, 422)
        for text in (b"1e2", b"1e400", b"-0.0", b"NaN", b"Infinity", b"99999999999999999999999999999"):
            with self.subTest(amount_cents=text):
                data = b'{"participant_id": "%s", "amount_cents": %s, "method": "cash", "received_on": "%s"}' % (
                    self.participant.encode(), text, program_today().isoformat().encode())
                problem_of(self, self.pay_bytes(data), 400, 422)

    def test_payment_methods(self):
        for method in ("bitcoin", "", "CASH", "cash ", "chèque"):
            with self.subTest(method=method):
                problem_of(self, self.pay(method=method), 422)
        for method in (5, None, ["cash"]):
            with self.subTest(method=method):
                problem_of(self, self.pay(method=method), 400, 422)

    def test_payment_dates(self):
        for date in ("2026/11/01", "01-11-2026", "yesterday", "2026-11-01T10:00:00-05:00"):
            with self.subTest(received_on=date):
                problem_of(self, self.pay(received_on=date), 400)
        for date in ("2026-02-30", "2026-13-01", "0000-01-01", 20261101, "", None):
            with self.subTest(received_on=date):
                problem_of(self, self.pay(received_on=date), 400, 422)

    def test_payment_participants(self):
        problem_of(self, self.pay(participant_id="999999"), 404)
        problem = problem_of(self, self.pay(participant_id=self.referred), 409)
        # docs/api.md: 409 bodies name what is in the way (current_status).
        self.assertEqual(problem.get("current_status"), "referred", problem)
        for pid in ("abc", "", None, 1):
            with self.subTest(participant_id=pid):
                problem_of(self, self.pay(participant_id=pid), 400, 404, 422)

    def test_payment_malformed_bodies(self):
        for data in (b"{oops", b"", b"\xff\xfe{}", b'{"amount_cents": 100,}'):
            with self.subTest(body=data):
                problem_of(self, self.pay_bytes(data), 400)
        for data in (b"[]", b"{}", b"null", b'"payment"'):
            with self.subTest(body=data):
                problem_of(self, self.pay_bytes(data), 400, 422)

    def test_plan_input(self):
        plan = self.till.plan
        for count in (0, 7, 1000000, -3):
            with self.subTest(installments=count):
                problem_of(self, plan(self.participant, count, "2027-03-01", raw=True), 422)
        problem_of(self, plan(self.participant, 2, "2027-03-01", "fortnightly", raw=True), 422)
        for date in ("2027-3-1", "01/03/2027", ""):
            with self.subTest(first_due_on=date):
                problem_of(self, plan(self.participant, 2, date, raw=True), 400)
        problem_of(self, plan("999999", 2, "2027-03-01", raw=True), 404)
        problem_of(self, plan(self.referred, 2, "2027-03-01", raw=True), 409)
        problem_of(self, self.till.raw_finance("POST", f"/api/v1/participants/{self.participant}/payment-plan",
                                               b"{oops"), 400)

    def test_refund_input(self):
        refund = self.till.refund
        payment = self.payment["id"]
        problem_of(self, refund(payment, 100, key=None, raw=True), 400)
        for amount in (0, -100, 10001, 10000000001):
            with self.subTest(amount_cents=amount):
                problem_of(self, refund(payment, amount, raw=True), 422)
        for amount in ("100", 100.5):
            with self.subTest(amount_cents=amount):
                problem_of(self, refund(payment, amount, raw=True), 400)
        for unknown in ("999999", "abc"):
            with self.subTest(payment=unknown):
                problem_of(self, refund(unknown, 100, raw=True), 404)
        problem_of(self, self.till.raw_finance("POST", f"/api/v1/payments/{payment}/refunds", b"{oops",
                                               headers=key_header(new_key())), 400)

    def test_fee_adjustment_input(self):
        adjust = self.till.adjust
        problem_of(self, adjust(self.participant, FEE, "le même", raw=True), 422)
        problem_of(self, adjust(self.participant, -1, "négatif", raw=True), 422)
        for fee in ("30000", 300.5, None):
            with self.subTest(new_fee_cents=fee):
                problem_of(self, adjust(self.participant, fee, "texte", raw=True), 400, 422)
        problem_of(self, adjust("999999", 30000, "inconnu", raw=True), 404)
        problem_of(self, self.till.raw("POST", f"/api/v1/participants/{self.participant}/fee-adjustment",
                                       b"{oops"), 400)

    def test_wrong_roles_store_nothing(self):
        coordinator = self.till.coordinator
        problem_of(self, self.till.pay(self.participant, 1000, token=coordinator, raw=True), 403)
        problem_of(self, self.till.refund(self.payment["id"], 100, token=coordinator, raw=True), 403)
        problem_of(self, self.till.adjust(self.participant, 30000, token=self.till.finance, raw=True), 403)
        problem_of(self, self.till.pay(self.participant, 1000, token="pct_not-a-token", raw=True), 401)
        # The guard comes first: neither the missing key nor the broken body is looked at.
        problem_of(self, self.till.raw_finance("POST", "/api/v1/payments", b"{oops", token=coordinator), 403)
        problem_of(self, call_raw(self.daemon, "POST", "/api/v1/payments", body=b"{oops"), 401)


class HostileInputSQLiteTests(HostileInput, BillingCase):
    pass


class HostileInputMariaDBTests(HostileInput, MariaDBBillingCase):
    pass


if __name__ == "__main__":
    unittest.main()
