#pragma once
// ISO 20022 camt.053 bank-to-customer statements (versions .001.02 to
// .001.08 and later: elements are found by local name, whatever the
// namespace or prefix).
//
// parseCamt053(bytes) is a pure function: the entries in file order, or
// StatementError naming the first line that makes the file not a statement:
// - the bytes are decoded by decodeStatementText and must be well-formed
//   XML (a truncated file is refused on the line of its innermost element
//   left open);
// - the root is Document holding BkToCstmrStmt (a camt.052 report, a camt.054
//   notification or a pain.001 / pain.008 initiation is refused, by name, on
//   the line of its message element);
// - at least one Stmt/Ntry in the file;
// - account = Stmt/Acct/Id/IBAN, else Stmt/Acct/Id/Othr/Id;
// - each Ntry (its line is the <Ntry> tag's) needs Amt, positive, in CAD
//   (an Amt with another Ccy is refused: Parcours keeps Canadian dollars
//   only), CdtDbtInd CRDT (money in, +) or DBIT (money out, −), and a date:
//   BookgDt/Dt or BookgDt/DtTm (its date part), else ValDt likewise;
// - bankId = the entry's AcctSvcrRef, else its first transaction's
//   Refs/AcctSvcrRef (absent when neither);
// - sequence = NtryRef (unique within the statement; part of the line's
//   identity when there is no bankId);
// - reference = every TxDtls' Refs/EndToEndId (except "NOTPROVIDED"),
//   RmtInf/Ustrd and RmtInf/Strd/CdtrRefInf/Ref, joined by a space;
// - description = the other party's names (RltdPties Dbtr for a credit,
//   Cdtr for a debit; Nm directly or under Pty), then AddtlTxInf and
//   AddtlNtryInf, joined by a space.

#include <string_view>

#include "finance/statement_line.h"

namespace parcours::finance {

ParsedStatement parseCamt053(std::string_view bytes);

}  // namespace parcours::finance
