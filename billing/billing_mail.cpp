#include "billing/billing_mail.h"

#include <Poco/JSON/Parser.h>

#include "core/error.h"
#include "invoices/document_contents.h"
#include "invoices/document_text.h"
#include "participants/payment_reference.h"

namespace parcours::billing {

using core::Error;
using core::ErrorCode;

namespace {

// billing's status as the statement prints it (invoices' own enum).
invoices::StatementInput::InstallmentStatus printedStatus(InstallmentStatus status) {
  using Printed = invoices::StatementInput::InstallmentStatus;
  switch (status) {
    case InstallmentStatus::open: return Printed::open;
    case InstallmentStatus::partial: return Printed::partial;
    case InstallmentStatus::paid: return Printed::paid;
    case InstallmentStatus::overdue: return Printed::overdue;
    case InstallmentStatus::replaced: return Printed::replaced;
  }
  return Printed::open;
}

core::Language languageFrom(const std::string& code) {
  return code == "en" ? core::Language::en : core::Language::fr;
}

std::string documentText(core::Language language, const std::string& number) {
  if (language == core::Language::en) {
    return "Hello,\n\nPlease find attached document " + number +
           ".\n\nKeep it for your records. Do not reply to this message.\n";
  }
  return "Bonjour,\n\nVous trouverez ci-joint le document " + number +
         ".\n\nConservez-le pour vos dossiers. Merci de ne pas répondre à ce message.\n";
}

// One line per overdue installment of the statement: its number and payment
// reference, then the sentence the statement prints about references.
std::string overdueReferences(const invoices::StatementInput& statement, core::Language language) {
  std::string lines;
  for (const auto& i : statement.installments) {
    if (i.status != invoices::StatementInput::InstallmentStatus::overdue) continue;
    const std::string seq = std::to_string(i.seq);
    lines += language == core::Language::en ? "Installment " + seq + ": " : "Versement " + seq + "\u00A0: ";
    lines += i.reference + "\n";
  }
  if (lines.empty()) return {};
  return lines + std::string(invoices::phrase(invoices::Phrase::installment_reference_note, language)) + "\n\n";
}

// The body only: the subject stays neutral (a reference holds the code).
std::string reminderText(core::Language language, const invoices::StatementInput& statement) {
  const std::string references = overdueReferences(statement, language);
  if (language == core::Language::en) {
    return "Hello,\n\nAn installment of your payment plan is past due. Your statement of account is attached.\n\n" +
           references + "If you have already paid, please disregard this message.\n";
  }
  return "Bonjour,\n\nUn versement de votre entente de paiement est en retard. Votre relevé de compte est joint.\n\n" +
         references + "Si vous avez déjà payé, veuillez ne pas tenir compte de ce message.\n";
}

std::string passwordFor(PdfPasswordRule rule, const participants::ParticipantView& p) {
  switch (rule) {
    case PdfPasswordRule::none: return {};
    case PdfPasswordRule::birth_date: {
      std::string digits;
      for (const char c : core::formatDate(p.birthDate)) {
        if (c != '-') digits.push_back(c);
      }
      return digits;  // YYYYMMDD
    }
    case PdfPasswordRule::code: return p.code;
  }
  return {};
}

invoices::StatementInput::EntryKind statementKind(EntryKind kind) {
  switch (kind) {
    case EntryKind::charge: return invoices::StatementInput::EntryKind::charge;
    case EntryKind::credit: return invoices::StatementInput::EntryKind::credit;
    case EntryKind::payment: return invoices::StatementInput::EntryKind::payment;
    case EntryKind::refund: return invoices::StatementInput::EntryKind::refund;
    case EntryKind::returned: return invoices::StatementInput::EntryKind::returned;
  }
  return invoices::StatementInput::EntryKind::charge;
}

}  // namespace

std::optional<PdfPasswordRule> pdfPasswordRuleFromString(std::string_view text) {
  if (text == "none") return PdfPasswordRule::none;
  if (text == "birth_date") return PdfPasswordRule::birth_date;
  if (text == "code") return PdfPasswordRule::code;
  return std::nullopt;
}

core::Language documentLanguage(const invoices::DocumentView& document) {
  return languageFrom(invoices::issuedLanguage(document.contentJson).value_or("fr"));
}

BillingMail::BillingMail(storage::Database& database, BillingService& billing, const invoices::DocumentStore& documents,
                         const invoices::Outbox& outbox, const participants::ParticipantService& participants,
                         const invoices::Letterhead& letterhead, const core::Clock& clock, const date::time_zone& zone,
                         MailOptions options)
    : database_(database),
      billing_(billing),
      documents_(documents),
      outbox_(outbox),
      participants_(participants),
      letterhead_(letterhead),
      clock_(clock),
      zone_(zone),
      options_(options) {}

core::OutboxId BillingMail::sendDocumentIn(storage::Transaction& tx, const std::string& number,
                                           const identity::AuditContext& context) const {
  const auto document = documents_.find(tx, number);
  if (!document) throw Error(ErrorCode::not_found, "no such document");
  const auto participant = participants_.detailsIn(tx, document->participantId);
  if (!participant.email) {
    throw Error(ErrorCode::unprocessable, "the participant has no e-mail address")
        .withMember("number", "\"" + number + "\"");
  }
  invoices::NewMail mail;
  mail.kind = invoices::MailKind::document;
  mail.documentNumber = number;
  mail.participantId = document->participantId;
  mail.recipient = *participant.email;
  mail.payloadJson = "{}";
  const auto id = outbox_.enqueueIn(tx, mail);
  identity::recordAudit(tx,
                        {context.actorUserId, "document.send", "participant", document->participantId.toString(),
                         context.requestId, number},
                        clock_.now());
  return id;
}

ReminderRun BillingMail::remindOverdue(const identity::AuditContext& context) {
  const auto today = core::localDateOf(clock_.now(), zone_);
  const auto graceDays = billing_.options().graceDays;
  ReminderRun run;
  // Candidates: participants with an unpaid installment past due + grace.
  const auto candidates = database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    return accounts_.withUnpaidDueBefore(tx, today - date::days(graceDays));
  });
  for (const auto account : candidates) {
    const std::int64_t participantId = account.value();
    // One transaction per participant: the reminder rows and the outbox item
    // commit together, so a second run the same day finds them (and a run
    // racing this one fails on their key and sends nothing twice).
    try {
      database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
        const std::vector<int> due = accounts_.unpaidDueBefore(tx, account, today - date::days(graceDays));
        std::vector<int> fresh;
        for (const int seq : due) {
          if (accounts_.reminded(tx, account, seq, today)) {
            ++run.skipped;
          } else {
            fresh.push_back(seq);
          }
        }
        if (fresh.empty()) return;
        const auto participant = participants_.detailsIn(tx, account);
        if (!participant.email) {
          ++run.withoutEmail;
          return;
        }
        for (const int seq : fresh) {
          accounts_.recordReminder(tx, account, seq, today);
        }
        invoices::NewMail mail;
        mail.kind = invoices::MailKind::reminder;
        mail.participantId = account;
        mail.recipient = *participant.email;
        mail.payloadJson = "{\"as_of\":\"" + core::formatDate(today) + "\"}";
        outbox_.enqueueIn(tx, mail);
        identity::recordAudit(tx,
                              {context.actorUserId, "reminder.send", "participant", std::to_string(participantId),
                               context.requestId, std::to_string(fresh.size()) + " installment(s)"},
                              clock_.now());
        ++run.reminded;
      });
    } catch (const storage::ConstraintViolation&) {
      ++run.skipped;
    }
  }
  return run;
}

invoices::StatementInput BillingMail::statementIn(storage::Transaction& tx, core::ParticipantId account,
                                                  std::optional<core::LocalDate> from,
                                                  std::optional<core::LocalDate> to, core::LocalDate asOf) const {
  const auto participant = participants_.detailsIn(tx, account);
  invoices::StatementInput input;
  input.participant.code = participant.code;
  input.participant.name = participant.givenName + " " + participant.familyName;
  input.participant.address = participant.address;
  input.asOf = asOf;
  input.to = to.value_or(asOf);
  input.openingBalance = core::Money::zero(billing_.options().fee.currency());
  std::optional<core::LocalDate> first;
  std::vector<invoices::StatementInput::Entry> all;
  for (const auto& entry : accounts_.entries(tx, account)) {
    const auto day = core::localDateOf(entry.at, zone_);
    if (day > asOf) continue;  // as of: later entries did not exist yet
    if (!first) first = day;
    all.push_back({day, statementKind(entry.kind), entry.documentNumber, entry.amount});
  }
  input.from = from.value_or(first.value_or(asOf));
  for (const auto& e : all) {
    if (e.date < input.from) {
      const bool raises = e.kind == invoices::StatementInput::EntryKind::charge ||
                          e.kind == invoices::StatementInput::EntryKind::refund ||
                          e.kind == invoices::StatementInput::EntryKind::returned;
      input.openingBalance += raises ? e.amount : -e.amount;
    } else if (e.date <= input.to) {
      input.entries.push_back(e);
    }
  }
  for (const auto& i : accounts_.installments(tx, account)) {
    if (i.replaced) continue;
    const auto currency = input.openingBalance.currency();
    input.installments.push_back({i.seq, i.dueOn, core::Money(i.amountCents, currency),
                                  core::Money(i.paidCents, currency),
                                  printedStatus(statusOf(i, asOf, billing_.options().graceDays)),
                                  participants::makeReference(participant.code, i.seq)});
  }
  return input;
}

std::string BillingMail::statementPdf(core::ParticipantId participant, std::optional<core::LocalDate> from,
                                      std::optional<core::LocalDate> to, std::optional<core::Language> language,
                                      const identity::AuditContext& context) {
  if (from && to && *to < *from) throw Error(ErrorCode::unprocessable, "must not be before from", "to");
  const auto now = clock_.now();
  const auto asOf = core::localDateOf(now, zone_);
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const auto summary = participants_.summaryIn(tx, participant);  // 404 when unknown
    identity::recordAudit(
        tx, {context.actorUserId, "statement.read", "participant", participant.toString(), context.requestId, ""}, now);
    const auto input = statementIn(tx, participant, from, to, asOf);
    return invoices::renderStatement(input, letterhead_, language.value_or(languageFrom(summary.language)));
  });
}

invoices::Mail BillingMail::compose(const invoices::OutboxItem& item) {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) {
    const auto participant = participants_.detailsIn(tx, item.participantId);
    const core::Language language = languageFrom(participant.language);
    invoices::Mail mail;
    mail.to = item.recipient;
    if (item.kind == invoices::MailKind::reminder) {
      Poco::JSON::Parser parser;
      const auto payload = parser.parse(item.payloadJson).extract<Poco::JSON::Object::Ptr>();
      const auto asOf = core::parseDate(payload->getValue<std::string>("as_of"));
      const auto statement = statementIn(tx, item.participantId, std::nullopt, asOf, asOf);
      mail.subject = language == core::Language::en ? "Statement of account" : "Relevé de compte";
      mail.text = reminderText(language, statement);
      mail.attachments.push_back({language == core::Language::en ? "statement.pdf" : "releve.pdf", "application/pdf",
                                  invoices::renderStatement(statement, letterhead_, language)});
      return mail;
    }
    if (!item.documentNumber) throw Error(ErrorCode::internal, "outbox item without a document");
    const auto document = documents_.find(tx, *item.documentNumber);
    if (!document) throw Error(ErrorCode::internal, "the document to send is gone");
    mail.subject = "Document " + document->number;
    mail.text = documentText(documentLanguage(*document), document->number);
    std::string bytes;
    if (options_.password != PdfPasswordRule::none) {
      // A protected copy, made now and never stored (libharu's RC4: weak).
      bytes = invoices::renderIssuedDocumentProtected(*document, documentLanguage(*document), letterhead_, zone_,
                                                      {passwordFor(options_.password, participant), ""});
    } else {
      auto stored = documents_.pdf(tx, document->number);
      if (!stored) throw Error(ErrorCode::internal, "the document's PDF is not rendered yet");
      bytes = std::move(*stored);
    }
    mail.attachments.push_back({document->number + ".pdf", "application/pdf", std::move(bytes)});
    return mail;
  });
}

}  // namespace parcours::billing
