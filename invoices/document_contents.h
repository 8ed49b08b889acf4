#pragma once
// What an issued document says, as typed values — the contract between the
// modules that issue documents (billing, completion) and the layouts that
// print them. Each kind has one value type and ONE toJson / fromJson pair,
// owned here: issuers build values, document_layouts reads them back.
//
// The JSON is what the `documents` table stores (encrypted) and what
// GET /documents/{number} returns as `content`. Documents are immutable and
// their PDFs are stored, so the JSON written here is byte-for-byte the one
// written since the first release (key order, escaping, `null` for an absent
// address or reference), and fromJson reads every row stored so far.
//
// fromJson throws core::Error(internal) naming the missing or malformed key
// (a stored document that cannot be read is a bug, not bad input).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/time.h"

namespace parcours::invoices {

// The participant as printed on a document, copied at issue.
struct Party {
  std::string code;  // pseudonymous code, printed on every document
  std::string givenName;
  std::string familyName;
  std::optional<std::string> address;  // lines separated by "\n"
  std::string language;                // "fr" or "en": the language of issue

  // "Given Family", or the one that is set.
  std::string name() const;
};

// One line of an invoice or credit note, with its taxes.
struct InvoiceLine {
  std::string description;  // a code worded by document_text: program_fee, fee_increase, fee_reduction
  core::Money amount;
  std::string taxCode;  // exempt, gst_qst, out_of_scope
  core::Money gst;
  core::Money qst;
};

// A change of the program fee (the reason for an adjustment's document).
struct FeeChange {
  core::Money previousFee;
  core::Money newFee;
  std::string reason;
};

// An invoice (the fee, or an increase of it) or a credit note (a reduction).
struct InvoiceContent {
  Party participant;
  std::vector<InvoiceLine> lines;
  core::Money subtotal;
  core::Money gst;
  core::Money qst;
  core::Money total;
  std::optional<FeeChange> feeChange;  // on fee adjustments only
  // What the participant writes with a payment: the participant code, which
  // matching reads as a reference to the account (an invoice may precede any
  // plan). Set by billing on invoices it issues; absent on credit notes and
  // on every invoice stored before references were printed (JSON key
  // `payment_reference`, written only when set).
  std::optional<std::string> paymentReference;
};

struct ReceiptContent {
  Party participant;
  core::Money amount;
  std::string method;  // cash, cheque, debit, credit, interac, bank_transfer
  core::LocalDate receivedOn;
  std::optional<std::string> reference;
};

struct RefundReceiptContent {
  Party participant;
  core::Money amount;
  std::string paymentReceiptNumber;  // the receipt of the payment refunded
  std::optional<std::string> reason;
};

// The attestation of completion (A-YYYY-NNNNN), for the prosecutor.
struct AttestationContent {
  Party participant;
  core::LocalDate referredOn;
  core::LocalDate completedOn;
  int sessionsAttended = 0;
  std::optional<core::LocalDate> awarenessDayOn;  // none: not attended
};

std::string toJson(const InvoiceContent& content);
std::string toJson(const ReceiptContent& content);
std::string toJson(const RefundReceiptContent& content);
std::string toJson(const AttestationContent& content);

// `fallbackCurrency` is the document's own currency, for a content that
// does not name one.
InvoiceContent invoiceContentFromJson(std::string_view json, std::string_view fallbackCurrency);
ReceiptContent receiptContentFromJson(std::string_view json, std::string_view fallbackCurrency);
RefundReceiptContent refundReceiptContentFromJson(std::string_view json, std::string_view fallbackCurrency);
AttestationContent attestationContentFromJson(std::string_view json);

// The participant's language of issue ("fr" or "en") read from any
// document's content; nullopt when it cannot be read. Never throws.
std::optional<std::string> issuedLanguage(std::string_view json) noexcept;

}  // namespace parcours::invoices
