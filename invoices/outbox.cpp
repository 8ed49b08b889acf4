#include "invoices/outbox.h"

#include <algorithm>

#include "core/error.h"
#include "storage/filters.h"

namespace parcours::invoices {

namespace {
constexpr const char* kColumns =
    "SELECT id, kind, document_number, participant_id, recipient_enc, payload, status, attempts, last_error,"
    " created_at, sent_at FROM email_outbox";
constexpr const char* kRecipientContext = "email_outbox.recipient";
}  // namespace

Outbox::Outbox(storage::Database& database, const identity::KeyFileCipher& cipher, const core::Clock& clock,
               OutboxOptions options)
    : database_(database), cipher_(cipher), clock_(clock), options_(options) {}

core::OutboxId Outbox::enqueueIn(storage::Transaction& tx, const NewMail& mail) const {
  const auto now = clock_.now();
  const std::int64_t id =
      tx.query(
            "INSERT INTO email_outbox (kind, document_number, participant_id, recipient_enc, payload, status,"
            " attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?) RETURNING id",
            {std::string(toString(mail.kind)), storage::optional(mail.documentNumber), storage::id(mail.participantId),
             storage::Blob{}, mail.payloadJson, now, now})
          .at(0)
          .int64(0);
  // Sealed once the row has its id, which it is bound to.
  tx.execute("UPDATE email_outbox SET recipient_enc = ? WHERE id = ?",
             {storage::Blob{cipher_.encrypt(mail.recipient, kRecipientContext, id)}, id});
  return core::OutboxId(id);
}

std::string_view toString(MailKind kind) {
  return kind == MailKind::reminder ? "reminder" : "document";
}

std::optional<MailKind> mailKindFromString(std::string_view text) {
  if (text == "document") return MailKind::document;
  if (text == "reminder") return MailKind::reminder;
  return std::nullopt;
}

std::string_view toString(OutboxStatus status) {
  switch (status) {
    case OutboxStatus::pending: return "pending";
    case OutboxStatus::sending: return "sending";
    case OutboxStatus::retry: return "retry";
    case OutboxStatus::sent: return "sent";
    case OutboxStatus::failed: return "failed";
  }
  return "pending";
}

std::optional<OutboxStatus> outboxStatusFromString(std::string_view text) {
  for (const auto s :
       {OutboxStatus::pending, OutboxStatus::sending, OutboxStatus::retry, OutboxStatus::sent, OutboxStatus::failed}) {
    if (toString(s) == text) return s;
  }
  return std::nullopt;
}

OutboxItem Outbox::fromRow(const storage::Row& row) const {
  OutboxItem item;
  item.id = row.id<core::OutboxTag>(0);
  item.kind = mailKindFromString(row.text(1)).value_or(MailKind::document);
  item.documentNumber = row.optText(2);
  item.participantId = row.id<core::ParticipantTag>(3);
  item.recipient = cipher_.decrypt(row.blob(4), kRecipientContext, item.id.value());
  item.payloadJson = row.text(5);
  item.status = outboxStatusFromString(row.text(6)).value_or(OutboxStatus::pending);
  item.attempts = static_cast<int>(row.int64(7));
  item.lastError = row.optText(8);
  item.createdAt = row.instant(9);
  item.sentAt = row.optInstant(10);
  return item;
}

std::optional<OutboxItem> Outbox::find(storage::Transaction& tx, core::OutboxId id) const {
  const auto row = tx.queryOne(std::string(kColumns) + " WHERE id = ?", {storage::id(id)});
  if (!row) return std::nullopt;
  return fromRow(*row);
}

std::vector<OutboxItem> Outbox::list(storage::Transaction& tx, std::optional<OutboxStatus> status,
                                     core::OutboxId afterId, int limit) const {
  std::vector<OutboxItem> items;
  storage::Filters where;
  where.add("status", "=", status ? storage::Value(std::string(toString(*status))) : storage::null());
  storage::Params params = where.params();
  params.insert(params.end(), {storage::id(afterId), std::int64_t{limit}});
  for (const auto& row :
       tx.query(std::string(kColumns) + " WHERE " + where.sql() + " AND id > ? ORDER BY id LIMIT ?", params)) {
    items.push_back(fromRow(row));
  }
  return items;
}

std::optional<OutboxItem> Outbox::claim() {
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) -> std::optional<OutboxItem> {
    const auto now = clock_.now();
    // SKIP LOCKED: another daemon's sender claiming at the same moment takes
    // the next item instead of waiting for this one.
    const auto due = tx.queryOne(
        std::string(kColumns) +
            " WHERE status IN ('pending', 'retry', 'sending') AND next_attempt_at <= ? ORDER BY next_attempt_at, id"
            " LIMIT 1" +
            (tx.dialect() == storage::Dialect::mysql ? " FOR UPDATE SKIP LOCKED" : ""),
        {now});
    if (!due) return std::nullopt;
    OutboxItem item = fromRow(*due);
    item.attempts += 1;
    tx.execute("UPDATE email_outbox SET status = 'sending', attempts = ?, next_attempt_at = ? WHERE id = ?",
               {std::int64_t{item.attempts}, now + options_.lease, storage::id(item.id)});
    return item;
  });
}

void Outbox::markSent(core::OutboxId id) {
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    tx.execute("UPDATE email_outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ?",
               {clock_.now(), storage::id(id)});
  });
}

void Outbox::markFailed(core::OutboxId id, int attempts, const std::string& error) {
  const auto now = clock_.now();
  auto delay = options_.firstRetry;
  for (int i = 1; i < attempts && delay < std::chrono::hours(6); ++i) delay *= 4;
  delay = std::min<std::chrono::seconds>(delay, std::chrono::hours(6));
  const bool giveUp = attempts >= options_.maxAttempts;
  database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    tx.execute("UPDATE email_outbox SET status = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
               {std::string(toString(giveUp ? OutboxStatus::failed : OutboxStatus::retry)), now + delay,
                error.substr(0, 1000), storage::id(id)});
  });
}

OutboxSender::OutboxSender(Outbox& outbox, Mailer& mailer, MailComposer compose, std::chrono::milliseconds poll)
    : outbox_(outbox), mailer_(mailer), compose_(std::move(compose)), poll_(poll) {}

OutboxSender::~OutboxSender() {
  stop();
}

void OutboxSender::start() {
  thread_ = std::thread([this] { run(); });
}

void OutboxSender::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wakeUp_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutboxSender::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wakeUp_.notify_all();
}

void OutboxSender::run() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wakeUp_.wait_for(lock, poll_, [this] { return stopping_ || woken_; });
      if (stopping_) return;
      woken_ = false;
    }
    drain();
  }
}

void OutboxSender::drain() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    std::optional<OutboxItem> item;
    try {
      item = outbox_.claim();
    } catch (const std::exception&) {
      return;  // database unavailable: try again at the next poll
    }
    if (!item) return;
    try {
      mailer_.send(compose_(*item));
      outbox_.markSent(item->id);
    } catch (const std::exception& e) {
      try {
        outbox_.markFailed(item->id, item->attempts, withoutAddresses(e.what()));
      } catch (const std::exception&) {
        return;  // the lease brings the item back
      }
    }
  }
}

}  // namespace parcours::invoices
