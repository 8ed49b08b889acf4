#pragma once
// What each of Parcours' documents says, laid out for pdf_writer (docs/domain.md
// "Documents") — pure: a document (or a statement's figures) in, the PDF's
// bytes out, always the same bytes for the same input.
//
// The participant's pseudonymous code is printed on every document; the
// name and address only in the recipient block (and, for an attestation,
// in the sentence that attests completion).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/money.h"
#include "core/time.h"
#include "invoices/document_store.h"
#include "invoices/pdf_writer.h"

namespace parcours::invoices {

// The model of an issued document (invoice, credit_note, receipt,
// refund_receipt or attestation), from its stored content JSON (read by
// document_contents' fromJson of its kind). The date
// printed is the day of `issuedAt` in `zone`; the PDF's own dates are
// `issuedAt`. Throws core::Error(internal) on content it cannot read.
PdfDocument issuedDocumentModel(const DocumentView& document, core::Language language, const Letterhead& letterhead,
                                const date::time_zone& zone);

// renderPdf(issuedDocumentModel(…)): the canonical PDF, stored at issue.
std::string renderIssuedDocument(const DocumentView& document, core::Language language, const Letterhead& letterhead,
                                 const date::time_zone& zone);

// A password-protected copy, made at send time only (see PdfProtection:
// RC4, weak). Not byte-stable: never store it.
std::string renderIssuedDocumentProtected(const DocumentView& document, core::Language language,
                                          const Letterhead& letterhead, const date::time_zone& zone,
                                          const PdfProtection& protection);

// A statement of account over [from, to], as of `asOf`; rendered on demand,
// never stored.
struct StatementInput {
  struct Participant {
    std::string code;
    std::string name;
    std::optional<std::string> address;  // lines separated by "\n"
  };
  enum class EntryKind { charge, credit, payment, refund, returned };  // returned: a payment the bank sent back
  // What the schedule prints for an installment (billing's InstallmentStatus,
  // which invoices cannot include: billing depends on invoices).
  enum class InstallmentStatus { open, partial, paid, overdue, replaced };
  // A ledger entry: `amount` is positive; charges, refunds and returned payments raise
  // the balance, credits and payments lower it.
  struct Entry {
    core::LocalDate date;
    EntryKind kind = EntryKind::charge;
    std::string documentNumber;
    core::Money amount{0, "CAD"};
  };
  struct Installment {
    int seq = 0;
    core::LocalDate dueOn;
    core::Money amount{0, "CAD"};
    core::Money paid{0, "CAD"};
    InstallmentStatus status = InstallmentStatus::open;
    std::string reference;  // its payment reference (participants/payment_reference.h), made by billing
  };

  Participant participant;
  core::LocalDate from;
  core::LocalDate to;
  core::LocalDate asOf;
  core::Money openingBalance{0, "CAD"};  // the balance before `from`, in the statement's currency
  std::vector<Entry> entries;            // those dated outside [from, to] are left out
  std::vector<Installment> installments;
};

// The statement lists the entries of the period in date order (stable) with
// a running balance, the closing balance and the installment schedule (each
// installment with its payment reference, and the sentence asking for it). The
// PDF's dates are `asOf` at 00:00 UTC, so the same input gives the same
// bytes.
PdfDocument statementModel(const StatementInput& input, const Letterhead& letterhead, core::Language language);
std::string renderStatement(const StatementInput& input, const Letterhead& letterhead, core::Language language);

}  // namespace parcours::invoices
