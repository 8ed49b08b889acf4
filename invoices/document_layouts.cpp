#include "invoices/document_layouts.h"

#include <algorithm>

#include "core/error.h"
#include "invoices/document_contents.h"
#include "invoices/document_text.h"

namespace parcours::invoices {

using core::Error;
using core::ErrorCode;
using core::Language;

namespace {

// The name, then one line per non-empty line of the address.
std::vector<std::string> recipientLines(const std::string& name, const std::optional<std::string>& address) {
  std::vector<std::string> lines{name};
  if (!address) return lines;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = address->find('\n', start);
    std::string line = address->substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(' ') != std::string::npos) lines.push_back(line);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

// -- the documents

PdfDocument baseDocument(const DocumentView& document, Language language, const Letterhead& letterhead,
                         const date::time_zone& zone, Phrase title) {
  PdfDocument pdf;
  pdf.language = language;
  pdf.letterhead = letterhead;
  pdf.title = std::string(phrase(title, language));
  pdf.number = document.number;
  pdf.date = longDate(core::localDateOf(document.issuedAt, zone), language);
  pdf.issuedAt = document.issuedAt;
  return pdf;
}

// The closing sentence: what a credit note does, or how to pay an invoice
// (an invoice stored before payment references keeps its old sentence).
std::string payingNote(const DocumentView& document, const InvoiceContent& content, Language l) {
  if (document.kind == DocumentKind::credit_note) {
    return creditNoteNote(formatAmount(content.total.cents(), content.total.currency(), l), l);
  }
  if (content.paymentReference) return invoicePaymentNoteWithReference(*content.paymentReference, l);
  return invoicePaymentNote(document.number, l);
}

// Invoices (the fee, or an increase of it) and credit notes (a reduction).
void layOutInvoice(PdfDocument& pdf, const DocumentView& document, const InvoiceContent& content, Language l) {
  const Party& party = content.participant;
  const auto amount = [&](const core::Money& money) {
    return formatAmount(money.cents(), content.total.currency(), l);
  };

  pdf.recipientLabel = std::string(phrase(Phrase::bill_to, l));
  pdf.recipient = recipientLines(party.name(), party.address);

  Facts facts;
  facts.rows.emplace_back(phrase(Phrase::participant_code, l), party.code);
  if (content.paymentReference) facts.rows.emplace_back(phrase(Phrase::payment_reference, l), *content.paymentReference);
  if (const auto& change = content.feeChange) {
    facts.rows.emplace_back(phrase(Phrase::previous_fee, l), amount(change->previousFee));
    facts.rows.emplace_back(phrase(Phrase::new_fee, l), amount(change->newFee));
    facts.rows.emplace_back(phrase(Phrase::reason, l), quoted(change->reason, l));
  }
  pdf.blocks.emplace_back(std::move(facts));

  Table table;
  table.columns = {{std::string(phrase(Phrase::description, l)), 3.4, Align::left},
                   {std::string(phrase(Phrase::taxes, l)), 1.4, Align::left},
                   {std::string(phrase(Phrase::amount, l)), 1.4, Align::right}};
  bool taxable = false, allExempt = true, allOutOfScope = true;
  for (const auto& line : content.lines) {
    taxable = taxable || line.taxCode == "gst_qst";
    allExempt = allExempt && line.taxCode == "exempt";
    allOutOfScope = allOutOfScope && line.taxCode == "out_of_scope";
    table.rows.push_back({lineDescription(line.description, l), taxCodeName(line.taxCode, l), amount(line.amount)});
  }
  pdf.blocks.emplace_back(std::move(table));

  Totals totals;
  totals.lines.push_back({std::string(phrase(Phrase::subtotal, l)), amount(content.subtotal)});
  if (taxable || content.gst.cents() != 0 || content.qst.cents() != 0) {
    totals.lines.push_back({std::string(phrase(Phrase::gst_with_rate, l)), amount(content.gst)});
    totals.lines.push_back({std::string(phrase(Phrase::qst_with_rate, l)), amount(content.qst)});
  }
  totals.lines.push_back({std::string(phrase(Phrase::total, l)), amount(content.total), true});
  pdf.blocks.emplace_back(std::move(totals));

  const bool hasLines = !content.lines.empty();
  if (hasLines && allExempt) pdf.blocks.emplace_back(Paragraph{std::string(phrase(Phrase::exempt_note, l))});
  if (hasLines && allOutOfScope) {
    pdf.blocks.emplace_back(Paragraph{std::string(phrase(Phrase::out_of_scope_note, l))});
  }
  pdf.blocks.emplace_back(Paragraph{payingNote(document, content, l)});
}

void layOutReceipt(PdfDocument& pdf, const ReceiptContent& content, Language l) {
  const Party& party = content.participant;
  const std::string amount = formatAmount(content.amount.cents(), content.amount.currency(), l);

  pdf.recipientLabel = std::string(phrase(Phrase::received_from, l));
  pdf.recipient = recipientLines(party.name(), party.address);

  Facts facts;
  facts.rows.emplace_back(phrase(Phrase::participant_code, l), party.code);
  facts.rows.emplace_back(phrase(Phrase::received_on, l), longDate(content.receivedOn, l));
  facts.rows.emplace_back(phrase(Phrase::payment_method, l), paymentMethodName(content.method, l));
  if (content.reference) facts.rows.emplace_back(phrase(Phrase::reference, l), *content.reference);
  pdf.blocks.emplace_back(std::move(facts));
  pdf.blocks.emplace_back(Totals{{{std::string(phrase(Phrase::amount_received, l)), amount, true}}});
  pdf.blocks.emplace_back(
      Paragraph{receiptSentence(party.name(), amount, l) + " " + std::string(phrase(Phrase::thank_you, l))});
}

void layOutRefundReceipt(PdfDocument& pdf, const RefundReceiptContent& content, Language l) {
  const Party& party = content.participant;
  const std::string amount = formatAmount(content.amount.cents(), content.amount.currency(), l);

  pdf.recipientLabel = std::string(phrase(Phrase::refunded_to, l));
  pdf.recipient = recipientLines(party.name(), party.address);

  Facts facts;
  facts.rows.emplace_back(phrase(Phrase::participant_code, l), party.code);
  facts.rows.emplace_back(phrase(Phrase::refunded_receipt, l), content.paymentReceiptNumber);
  if (content.reason) facts.rows.emplace_back(phrase(Phrase::reason, l), quoted(*content.reason, l));
  pdf.blocks.emplace_back(std::move(facts));
  pdf.blocks.emplace_back(Totals{{{std::string(phrase(Phrase::amount_refunded, l)), amount, true}}});
  pdf.blocks.emplace_back(Paragraph{refundSentence(party.name(), amount, l)});
}

void layOutAttestation(PdfDocument& pdf, const AttestationContent& content, Language l) {
  const Party& party = content.participant;
  AttestationWording wording;
  wording.name = party.name();
  wording.code = party.code;
  wording.referredOn = content.referredOn;
  wording.completedOn = content.completedOn;
  wording.awarenessDayOn = content.awarenessDayOn;
  wording.sessionsAttended = content.sessionsAttended;

  pdf.recipientLabel = std::string(phrase(Phrase::participant, l));
  pdf.recipient = recipientLines(party.name(), party.address);

  Facts facts;
  facts.rows.emplace_back(phrase(Phrase::participant_code, l), party.code);
  facts.rows.emplace_back(phrase(Phrase::referred_on, l), longDate(wording.referredOn, l));
  facts.rows.emplace_back(phrase(Phrase::awareness_day, l), wording.awarenessDayOn
                                                                ? longDate(*wording.awarenessDayOn, l)
                                                                : std::string(phrase(Phrase::not_attended, l)));
  facts.rows.emplace_back(phrase(Phrase::sessions_attended, l), std::to_string(wording.sessionsAttended));
  facts.rows.emplace_back(phrase(Phrase::completed_on, l), longDate(wording.completedOn, l));
  pdf.blocks.emplace_back(std::move(facts));
  pdf.blocks.emplace_back(Paragraph{attestationSentence(wording, l)});
  pdf.blocks.emplace_back(
      Signature{{std::string(phrase(Phrase::authorized_signature, l)), signedFor(pdf.letterhead.organisation, l)}});
}

Phrase titleOf(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::invoice: return Phrase::invoice;
    case DocumentKind::credit_note: return Phrase::credit_note;
    case DocumentKind::receipt: return Phrase::receipt;
    case DocumentKind::refund_receipt: return Phrase::refund_receipt;
    case DocumentKind::attestation: return Phrase::attestation;
  }
  return Phrase::invoice;
}

std::string_view entryCode(StatementInput::EntryKind kind) {
  switch (kind) {
    case StatementInput::EntryKind::charge: return "charge";
    case StatementInput::EntryKind::credit: return "credit";
    case StatementInput::EntryKind::payment: return "payment";
    case StatementInput::EntryKind::refund: return "refund";
    case StatementInput::EntryKind::returned: return "returned";
  }
  return "charge";
}

std::string_view statusCode(StatementInput::InstallmentStatus status) {
  switch (status) {
    case StatementInput::InstallmentStatus::open: return "open";
    case StatementInput::InstallmentStatus::partial: return "partial";
    case StatementInput::InstallmentStatus::paid: return "paid";
    case StatementInput::InstallmentStatus::overdue: return "overdue";
    case StatementInput::InstallmentStatus::replaced: return "replaced";
  }
  return "open";
}

bool raisesBalance(StatementInput::EntryKind kind) {
  return kind == StatementInput::EntryKind::charge || kind == StatementInput::EntryKind::refund ||
         kind == StatementInput::EntryKind::returned;
}

}  // namespace

PdfDocument issuedDocumentModel(const DocumentView& document, Language language, const Letterhead& letterhead,
                                const date::time_zone& zone) {
  PdfDocument pdf = baseDocument(document, language, letterhead, zone, titleOf(document.kind));
  const std::string& json = document.contentJson;
  const std::string_view currency = document.total.currency();
  try {
    switch (document.kind) {
      case DocumentKind::invoice:
      case DocumentKind::credit_note:
        layOutInvoice(pdf, document, invoiceContentFromJson(json, currency), language);
        break;
      case DocumentKind::receipt: layOutReceipt(pdf, receiptContentFromJson(json, currency), language); break;
      case DocumentKind::refund_receipt:
        layOutRefundReceipt(pdf, refundReceiptContentFromJson(json, currency), language);
        break;
      case DocumentKind::attestation: layOutAttestation(pdf, attestationContentFromJson(json), language); break;
    }
  } catch (const Error& e) {
    throw Error(ErrorCode::internal, "PDF: document " + document.number + ": unreadable content: " + e.what());
  }
  return pdf;
}

std::string renderIssuedDocument(const DocumentView& document, Language language, const Letterhead& letterhead,
                                 const date::time_zone& zone) {
  return renderPdf(issuedDocumentModel(document, language, letterhead, zone));
}

std::string renderIssuedDocumentProtected(const DocumentView& document, Language language, const Letterhead& letterhead,
                                          const date::time_zone& zone, const PdfProtection& protection) {
  return renderPdf(issuedDocumentModel(document, language, letterhead, zone), protection);
}

PdfDocument statementModel(const StatementInput& input, const Letterhead& letterhead, Language l) {
  const auto amount = [&](const core::Money& money) { return formatAmount(money.cents(), money.currency(), l); };
  PdfDocument pdf;
  pdf.language = l;
  pdf.letterhead = letterhead;
  pdf.title = std::string(phrase(Phrase::statement, l));
  pdf.date = longDate(input.asOf, l);
  pdf.issuedAt = core::Instant{date::sys_days{input.asOf.time_since_epoch()}};
  pdf.recipientLabel = std::string(phrase(Phrase::participant, l));
  pdf.recipient = recipientLines(input.participant.name, input.participant.address);

  Facts facts;
  facts.rows.emplace_back(phrase(Phrase::participant_code, l), input.participant.code);
  facts.rows.emplace_back(phrase(Phrase::period, l), dateRange(input.from, input.to, l));
  pdf.blocks.emplace_back(std::move(facts));

  std::vector<StatementInput::Entry> entries;
  std::copy_if(input.entries.begin(), input.entries.end(), std::back_inserter(entries),
               [&](const auto& entry) { return entry.date >= input.from && entry.date <= input.to; });
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.date < b.date; });

  pdf.blocks.emplace_back(Heading{std::string(phrase(Phrase::transactions, l))});
  Table table;
  table.columns = {{std::string(phrase(Phrase::date, l)), 1.5, Align::left},
                   {std::string(phrase(Phrase::description, l)), 2.6, Align::left},
                   {std::string(phrase(Phrase::debit, l)), 1.15, Align::right},
                   {std::string(phrase(Phrase::credit, l)), 1.15, Align::right},
                   {std::string(phrase(Phrase::balance, l)), 1.25, Align::right}};
  core::Money balance = input.openingBalance;
  table.rows.push_back(
      {longDate(input.from, l), std::string(phrase(Phrase::opening_balance, l)), "", "", amount(balance)});
  for (const auto& entry : entries) {
    const bool raises = raisesBalance(entry.kind);
    balance += raises ? entry.amount : -entry.amount;
    std::string description = ledgerEntryName(entryCode(entry.kind), l);
    if (!entry.documentNumber.empty()) description += " " + entry.documentNumber;
    table.rows.push_back({longDate(entry.date, l), description, raises ? amount(entry.amount) : "",
                          raises ? "" : amount(entry.amount), amount(balance)});
  }
  pdf.blocks.emplace_back(std::move(table));
  pdf.blocks.emplace_back(Totals{{{balanceOn(input.to, l), amount(balance), true}}});
  if (balance.cents() < 0) pdf.blocks.emplace_back(Paragraph{std::string(phrase(Phrase::credit_balance_note, l))});

  pdf.blocks.emplace_back(Heading{std::string(phrase(Phrase::installment_schedule, l))});
  if (input.installments.empty()) {
    pdf.blocks.emplace_back(Paragraph{std::string(phrase(Phrase::no_installments, l))});
    return pdf;
  }
  Table schedule;
  schedule.columns = {{std::string(phrase(Phrase::installment_number, l)), 0.85, Align::left},
                      {std::string(phrase(Phrase::reference, l)), 1.45, Align::left},
                      {std::string(phrase(Phrase::due_on, l)), 1.55, Align::left},
                      {std::string(phrase(Phrase::amount, l)), 1.1, Align::right},
                      {std::string(phrase(Phrase::paid, l)), 1.1, Align::right},
                      {std::string(phrase(Phrase::status, l)), 1.75, Align::left}};
  for (const auto& installment : input.installments) {
    schedule.rows.push_back({std::to_string(installment.seq), installment.reference, longDate(installment.dueOn, l),
                             amount(installment.amount), amount(installment.paid),
                             installmentStatusName(statusCode(installment.status), l)});
  }
  pdf.blocks.emplace_back(std::move(schedule));
  pdf.blocks.emplace_back(Paragraph{std::string(phrase(Phrase::installment_reference_note, l))});
  return pdf;
}

std::string renderStatement(const StatementInput& input, const Letterhead& letterhead, Language language) {
  return renderPdf(statementModel(input, letterhead, language));
}

}  // namespace parcours::invoices
