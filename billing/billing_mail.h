#pragma once
// BillingMail — what Parcours e-mails to participants: an issued document
// (its stored PDF, or a password-protected copy), and reminders of overdue
// installments with a statement of account attached. Requests only put an
// item in the outbox (in their transaction); the outbox sender calls
// compose() afterwards.
//
// Subjects are neutral — "Document F-2027-00001", "Relevé de compte" — and
// name neither the participant, the program nor the offence: a subject is
// seen by whoever glances at an inbox.

#include <cstdint>
#include <optional>
#include <string>

#include "billing/account_store.h"
#include "billing/billing_service.h"
#include "invoices/document_layouts.h"
#include "invoices/outbox.h"

namespace parcours::billing {

enum class PdfPasswordRule { none, birth_date, code };
std::optional<PdfPasswordRule> pdfPasswordRuleFromString(std::string_view text);

struct MailOptions {
  PdfPasswordRule password = PdfPasswordRule::none;
};

struct ReminderRun {
  int reminded = 0;  // participants e-mailed now
  int skipped = 0;   // overdue installments already reminded today
  int withoutEmail = 0;
};

class BillingMail {
 public:
  // REQUIRES: every reference outlives this.
  BillingMail(storage::Database& database, BillingService& billing, const invoices::DocumentStore& documents,
              const invoices::Outbox& outbox, const participants::ParticipantService& participants,
              const invoices::Letterhead& letterhead, const core::Clock& clock, const date::time_zone& zone,
              MailOptions options);

  // Puts the document in the outbox for the participant's e-mail address,
  // inside `tx`. 404 for an unknown document, 422 when the participant has
  // no e-mail address. Returns the outbox item's id.
  core::OutboxId sendDocumentIn(storage::Transaction& tx, const std::string& number,
                                const identity::AuditContext& context) const;

  // E-mails each participant with an installment overdue today a reminder
  // with the statement attached — once per installment and day, however
  // often it runs.
  ReminderRun remindOverdue(const identity::AuditContext& context);

  // The statement of account of a participant over [from, to] as of `asOf`
  // (defaults: from the first entry, to and as of today), in `language`
  // (default: the participant's). Rendered on demand, never stored.
  // The read is audited (a statement carries the name and address).
  std::string statementPdf(core::ParticipantId participant, std::optional<core::LocalDate> from,
                           std::optional<core::LocalDate> to, std::optional<core::Language> language,
                           const identity::AuditContext& context);

  // The e-mail for an outbox item (the outbox sender's composer).
  invoices::Mail compose(const invoices::OutboxItem& item);

 private:
  invoices::StatementInput statementIn(storage::Transaction& tx, core::ParticipantId account,
                                       std::optional<core::LocalDate> from, std::optional<core::LocalDate> to,
                                       core::LocalDate asOf) const;

  storage::Database& database_;
  BillingService& billing_;
  const invoices::DocumentStore& documents_;
  const invoices::Outbox& outbox_;
  const participants::ParticipantService& participants_;
  const invoices::Letterhead& letterhead_;
  const core::Clock& clock_;
  const date::time_zone& zone_;
  MailOptions options_;
  AccountStore accounts_;
};

// The language a document was issued in (its participant's at issue).
core::Language documentLanguage(const invoices::DocumentView& document);

}  // namespace parcours::billing
