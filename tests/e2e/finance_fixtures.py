"""Fixtures for the finance end-to-end tests: bank statements written as the
banks write them (RBC CSV, Desjardins CSV in Windows-1252, OFX 1.x SGML and
2.x XML, camt.053), payment references made independently of the daemon's
code, and a Till that imports, matches and closes.

Standard library only; loopback only."""

import datetime
import urllib.parse

from billing_fixtures import Till, expect, key_header, new_key, program_today

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = CODE_ALPHABET + "U"


def reference(code, seq):
    """The payment reference of installment seq of participant code "P-XXXXXX":
    weights 1, 2, 1, 2, ... over the symbols; the check makes the sum ≡ 0 mod 31."""
    digit_values = {"0": 30, "1": 29}
    body = [CODE_ALPHABET.index(c) for c in code[2:]]
    body += [digit_values.get(d, CODE_ALPHABET.index(d) if d in CODE_ALPHABET else None) for d in str(seq)]
    total = sum(v * (1 if i % 2 == 0 else 2) for i, v in enumerate(body))
    weight = 1 if len(body) % 2 == 0 else 2
    for check in range(31):
        if (total + weight * check) % 31 == 0:
            return f"P{code[2:]}-{seq}-{CHECK_ALPHABET[check]}"
    raise AssertionError("no check character")


def days_ago(days):
    return program_today() - datetime.timedelta(days=days)


def money(cents):
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


# A bank line here: dict(date=datetime.date, cents=int, payer=str, memo=str, fitid=str|None, cheque=str|None)

def line(date, cents, payer="", memo="", fitid=None, cheque=None):
    return {"date": date, "cents": cents, "payer": payer, "memo": memo, "fitid": fitid, "cheque": cheque}


def rbc_csv(lines, account="01234-5012345"):
    rows = ['"Account Type","Account Number","Transaction Date","Cheque Number","Description 1",'
            '"Description 2","CAD$","USD$"']
    for l in lines:
        d = l["date"]
        payer = l["payer"].replace('"', '""')
        memo = l["memo"].replace('"', '""')
        rows.append(f'Chequing,{account},{d.month}/{d.day}/{d.year},{l["cheque"] or ""},"{payer}","{memo}",'
                    f'{money(l["cents"])},')
    return ("\r\n".join(rows) + "\r\n\r\n").encode("utf-8")


def desjardins_csv(lines):
    rows = []
    for seq, l in enumerate(lines, start=1):
        d = l["date"]
        text = " / ".join(x for x in (l["payer"], l["memo"]) if x).replace('"', '""')
        out = money(-l["cents"]) if l["cents"] < 0 else ""
        into = money(l["cents"]) if l["cents"] > 0 else ""
        rows.append(f'"815","30123","EOP","{d.year:04d}/{d.month:02d}/{d.day:02d}",{seq},"{text}",'
                    f'"{l["cheque"] or ""}",{out},{into},,,,1000.00')
    return ("\r\n".join(rows) + "\r\n").encode("windows-1252")


def _ofx_transactions(lines, closing):
    out = []
    for i, l in enumerate(lines):
        d = l["date"]
        parts = [f"<STMTTRN>", f"<TRNTYPE>{'CREDIT' if l['cents'] > 0 else 'DEBIT'}",
                 f"<DTPOSTED>{d.year:04d}{d.month:02d}{d.day:02d}120000[-5:EST]", f"<TRNAMT>{money(l['cents'])}",
                 f"<FITID>{l['fitid'] or f'FIT{d.isoformat()}-{i}'}"]
        if l["cheque"]:
            parts.append(f"<CHECKNUM>{l['cheque']}")
        parts.append(f"<NAME>{escape(l['payer'] or 'TRANSACTION')}")
        if l["memo"]:
            parts.append(f"<MEMO>{escape(l['memo'])}")
        parts.append("</STMTTRN>")
        if closing:
            parts = [p + (f"</{p[1:p.index('>')]}>" if not p.startswith("</") and p != "<STMTTRN>" else "")
                     for p in parts]
        out += parts
    return out


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ofx(lines, version=1):
    first = min(l["date"] for l in lines)
    last = max(l["date"] for l in lines)
    body = ["<OFX>", "<BANKMSGSRSV1>", "<STMTTRNRS>", "<STMTRS>",
            "<CURDEF>CAD</CURDEF>" if version == 2 else "<CURDEF>CAD",
            "<BANKACCTFROM>", "<BANKID>700000100</BANKID>" if version == 2 else "<BANKID>700000100",
            "<ACCTID>0123456</ACCTID>" if version == 2 else "<ACCTID>0123456",
            "</BANKACCTFROM>", "<BANKTRANLIST>",
            f"<DTSTART>{first:%Y%m%d}</DTSTART>" if version == 2 else f"<DTSTART>{first:%Y%m%d}",
            f"<DTEND>{last:%Y%m%d}</DTEND>" if version == 2 else f"<DTEND>{last:%Y%m%d}"]
    body += _ofx_transactions(lines, version == 2)
    body += ["</BANKTRANLIST>", "</STMTRS>", "</STMTTRNRS>", "</BANKMSGSRSV1>", "</OFX>"]
    if version == 1:
        header = ("OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:USASCII\r\n"
                  "CHARSET:1252\r\nCOMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n")
        return (header + "\r\n".join(body) + "\r\n").encode("windows-1252")
    header = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<?OFX OFXHEADER="200" VERSION="211" ' \
             'SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>\n'
    return (header + "\n".join(body) + "\n").encode("utf-8")


def camt053(lines):
    entries = []
    for i, l in enumerate(lines):
        side = "CRDT" if l["cents"] > 0 else "DBIT"
        party = "Dbtr" if l["cents"] > 0 else "Cdtr"
        entries.append(f"""      <Ntry>
        <NtryRef>{i + 1}</NtryRef>
        <Amt Ccy="CAD">{money(abs(l['cents']))}</Amt>
        <CdtDbtInd>{side}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>{l['date'].isoformat()}</Dt></BookgDt>
        <AcctSvcrRef>{l['fitid'] or f'CA{l["date"]:%Y%m%d}{i:06d}'}</AcctSvcrRef>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <RltdPties><{party}><Nm>{escape(l['payer'] or 'Inconnu')}</Nm></{party}></RltdPties>
          <RmtInf><Ustrd>{escape(l['memo'] or '-')}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
        <AddtlNtryInf>{'Virement Interac reçu' if l['memo'] else escape(l['payer'] or 'Opération')}</AddtlNtryInf>
      </Ntry>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>2026-12-01T06:00:00-05:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-1</Id>
      <CreDtTm>2026-12-01T06:00:00-05:00</CreDtTm>
      <Acct><Id><Othr><Id>01234-5012345</Id></Othr></Id><Ccy>CAD</Ccy></Acct>
{chr(10).join(entries)}
    </Stmt>
  </BkToCstmrStmt>
</Document>
""".encode("utf-8")


FORMATS = {
    "rbc": (rbc_csv, "text/csv", "rbc"),
    "desjardins": (desjardins_csv, "text/csv", "desjardins"),
    "ofx1": (lambda lines: ofx(lines, 1), "application/x-ofx", None),
    "ofx2": (lambda lines: ofx(lines, 2), "application/x-ofx", None),
    "camt053": (camt053, "application/xml", None),
}


class Cashier(Till):
    """A Till that also speaks to the bank side."""

    def upload(self, data, content_type, profile=None, account=None, token=None):
        query = {k: v for k, v in (("profile", profile), ("account", account)) if v}
        path = "/api/v1/bank-statements" + ("?" + urllib.parse.urlencode(query) if query else "")
        return self.daemon.request("POST", path, body=data,
                                   headers={"Content-Type": content_type,
                                            "Authorization": f"Bearer {token or self.finance}"})

    def imported(self, lines, fmt="rbc"):
        build, content_type, profile = FORMATS[fmt]
        status, _, raw = self.upload(build(lines), content_type, profile)
        import json
        body = json.loads(raw) if raw else None
        if status != 201:
            raise AssertionError(f"import {fmt}: {status} {raw[:600]!r}")
        return body

    def bank_lines(self, **query):
        return self.pages("/api/v1/bank-lines", **query)

    def bank_line(self, line_id):
        for l in self.bank_lines():
            if l["id"] == line_id:
                return l
        raise AssertionError(f"no bank line {line_id}")

    def match(self, line_id, body, key="new"):
        key = new_key() if key == "new" else key
        return self.as_finance("POST", f"/api/v1/bank-lines/{line_id}/match", body, headers=key_header(key))

    def unmatch(self, line_id):
        return self.as_finance("DELETE", f"/api/v1/bank-lines/{line_id}/match")

    def ignore(self, line_id, body):
        return self.as_finance("POST", f"/api/v1/bank-lines/{line_id}/ignore", body)

    def deposit(self, method, payment_ids, deposited_on=None, fee_cents=None):
        body = {"method": method, "payment_ids": payment_ids,
                "deposited_on": (deposited_on or program_today()).isoformat()}
        if fee_cents is not None:
            body["fee_cents"] = fee_cents
        return self.as_finance("POST", "/api/v1/deposits", body)

    def on_plan(self, installments=2, first_due=None):
        """An enrolled participant on a monthly plan → (participant, account)."""
        participant = self.enrolled()
        first_due = first_due or days_ago(20)
        expect(201, self.plan(participant["id"], installments, first_due.isoformat()), "plan")
        return participant, self.account(participant["id"])
