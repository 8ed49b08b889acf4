#pragma once
// The printed words of Parcours' documents, in French and English (docs/domain.md
// "Documents") — pure.
//
// Every string is UTF-8. French text follows French typography: a no-break
// space (U+00A0) before « : », inside « », before « % » and « $ », and as the
// thousands separator of amounts ("1 234,56 $"); English text does not
// ("$1,234.56", "Date:"). Codes that the layer does not know (a payment
// method added later, say) are printed as they are rather than dropped.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/money.h"
#include "core/time.h"

namespace parcours::invoices {

enum class Phrase {
  // titles
  invoice,         // Facture / Invoice
  credit_note,     // Note de crédit / Credit note
  receipt,         // Reçu / Receipt
  refund_receipt,  // Reçu de remboursement / Refund receipt
  statement,       // Relevé de compte / Statement of account
  attestation,     // Attestation de participation / Attestation of completion
  // title block and recipient
  number,  // N° / No.
  date,
  bill_to,
  received_from,
  refunded_to,
  participant,
  participant_code,
  // lines and totals
  description,
  taxes,
  amount,
  subtotal,
  gst,  // TPS / GST
  qst,  // TVQ / QST
  gst_with_rate,
  qst_with_rate,
  total,
  gst_registration,
  qst_registration,
  exempt_note,
  out_of_scope_note,
  // fee adjustments
  previous_fee,
  new_fee,
  reason,
  // receipts
  received_on,
  payment_method,
  reference,
  payment_reference,  // Référence de paiement / Payment reference
  amount_received,
  refunded_receipt,
  amount_refunded,
  thank_you,
  // statement
  period,
  transactions,
  opening_balance,
  debit,
  credit,
  balance,
  installment_schedule,
  installment_number,
  due_on,
  paid,
  status,
  no_installments,
  credit_balance_note,
  installment_reference_note,  // write the installment's reference in the e-Transfer message or on the cheque
  // attestation
  referred_on,
  awareness_day,
  sessions_attended,
  completed_on,
  authorized_signature,
  not_attended,
};

std::string_view phrase(Phrase phrase, core::Language language);

// "Date :" (with U+00A0 before the colon) / "Date:".
std::string withColon(std::string_view label, core::Language language);

// "1er mars 2027", "16 mars 2027" / "March 1, 2027", "March 16, 2027".
std::string longDate(core::LocalDate day, core::Language language);
// "Du 1er janvier 2027 au 31 mars 2027" / "January 1, 2027 to March 31, 2027".
std::string dateRange(core::LocalDate from, core::LocalDate to, core::Language language);

// core::Money::format: "1 234,56 $" / "$1,234.56". REQUIRES: a valid currency.
std::string formatAmount(std::int64_t cents, std::string_view currency, core::Language language);

// « text » with no-break spaces inside (French) / “text” (English).
std::string quoted(std::string_view text, core::Language language);

// "Solde au 31 mars 2027" / "Balance as of March 31, 2027".
std::string balanceOn(core::LocalDate day, core::Language language);

// "Page 2 / 3" / "Page 2 of 3".
std::string pageOf(int page, int pages, core::Language language);

// Names of the codes stored in documents' content.
std::string lineDescription(std::string_view code, core::Language language);  // program_fee, fee_reduction, …
std::string taxCodeName(std::string_view code, core::Language language);      // exempt, gst_qst, out_of_scope
std::string paymentMethodName(std::string_view method, core::Language language);
std::string ledgerEntryName(std::string_view kind, core::Language language);  // charge, credit, payment, refund
std::string installmentStatusName(std::string_view status, core::Language language);

// The sentences of the documents.
std::string invoicePaymentNote(std::string_view number, core::Language language);
// An invoice that carries a payment reference (issued since references
// exist) asks for the reference, written in the e-Transfer message or on
// the cheque, instead of its number.
std::string invoicePaymentNoteWithReference(std::string_view paymentReference, core::Language language);
std::string creditNoteNote(std::string_view amount, core::Language language);
std::string receiptSentence(std::string_view name, std::string_view amount, core::Language language);
std::string refundSentence(std::string_view name, std::string_view amount, core::Language language);

struct AttestationWording {
  std::string name;
  std::string code;
  core::LocalDate referredOn;
  core::LocalDate completedOn;
  std::optional<core::LocalDate> awarenessDayOn;
  int sessionsAttended = 0;
};
// "Nous attestons que Jean Tremblay (code P-7K3Q9X), … a terminé le programme
// le 1er mars 2027."
std::string attestationSentence(const AttestationWording& wording, core::Language language);
// "Pour Parcours Longueuil" / "For Parcours Longueuil".
std::string signedFor(std::string_view organisation, core::Language language);

}  // namespace parcours::invoices
