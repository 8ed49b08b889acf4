#pragma once
// OFX bank statements: OFX 1.x (SGML: "OFXHEADER:100" header lines, leaf
// elements without end tags such as "<TRNAMT>-45.00") and OFX 2.x (XML with
// an "<?OFX OFXHEADER="200" ...?>" instruction, every element closed).
// Quicken QFX and QuickBooks QBO downloads are OFX and read the same way.
//
// parseOfx(bytes) is a pure function: the lines in file order, or
// StatementError naming the first line that makes the file not a statement:
// - the bytes are decoded by decodeStatementText (valid UTF-8 stays,
//   anything else is Windows-1252), whatever the header declares: banks
//   declaring CHARSET:1252 sometimes send UTF-8, and the reverse;
// - the file must hold an <OFX> element closed by </OFX> (a truncated
//   download is refused), and at least one <STMTTRN>;
// - account = the BANKID, BRANCHID and ACCTID of the enclosing
//   BANKACCTFROM (or CCACCTFROM), the non-empty ones joined by '-';
// - each STMTTRN needs DTPOSTED (YYYYMMDD, then anything: the time and
//   zone are ignored) and TRNAMT (signed, '.' decimal mark; ',' when the
//   amount has no '.'), not zero; otherwise its own line is refused;
// - bankId = FITID (absent when empty);
// - description = NAME (or PAYEE's NAME) then MEMO, spaces collapsed
//   (MEMO left out when it repeats NAME);
// - reference = CHECKNUM, REFNUM and MEMO, the non-empty ones joined by a
//   space: an e-Transfer's message arrives in MEMO and must be found by the
//   reference matcher, so MEMO is in both;
// - sourceLine = the line of the <STMTTRN> tag; sequence is "".

#include <string_view>

#include "finance/statement_line.h"

namespace parcours::finance {

ParsedStatement parseOfx(std::string_view bytes);

}  // namespace parcours::finance
