#pragma once
// Outbox — e-mails to send, written in the transaction that asks for them
// and delivered afterwards by OutboxSender, so a request never waits on an
// SMTP server and an e-mail is never lost or sent for a rolled-back change.
//
// Delivery is at least once: a sender claims an item for a lease
// (`sending`, due again when the lease ends), sends, then marks it `sent`. A
// daemon that dies while sending leaves the item to be claimed again after
// the lease. Failures are retried with growing delays, then the item is
// `failed` with the server's reply (addresses removed) for finance to see;
// asking again makes a new item. Several daemons may share one outbox.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/id.h"
#include "core/time.h"
#include "identity/key_file_cipher.h"
#include "invoices/mailer.h"
#include "storage/database.h"
#include "storage/migrations.h"

namespace parcours::invoices {

// What an item sends: an issued document, or a reminder with a statement.
enum class MailKind { document, reminder };
std::string_view toString(MailKind kind);
std::optional<MailKind> mailKindFromString(std::string_view text);

enum class OutboxStatus { pending, sending, retry, sent, failed };
std::string_view toString(OutboxStatus status);
std::optional<OutboxStatus> outboxStatusFromString(std::string_view text);

struct NewMail {
  MailKind kind = MailKind::document;
  std::optional<std::string> documentNumber;
  core::ParticipantId participantId{0};
  std::string recipient;    // e-mail address, encrypted at rest
  std::string payloadJson;  // what the composer needs (no personal data)
};

struct OutboxItem {
  core::OutboxId id{0};
  MailKind kind = MailKind::document;
  std::optional<std::string> documentNumber;
  core::ParticipantId participantId{0};
  std::string recipient;
  std::string payloadJson;
  OutboxStatus status = OutboxStatus::pending;
  int attempts = 0;
  std::optional<std::string> lastError;
  core::Instant createdAt;
  std::optional<core::Instant> sentAt;
};

struct OutboxOptions {
  int maxAttempts = 6;
  std::chrono::seconds firstRetry{30};  // then ×4 each time, at most 6 h
  std::chrono::seconds lease{std::chrono::minutes(10)};
};

class Outbox {
 public:
  Outbox(storage::Database& database, const identity::KeyFileCipher& cipher, const core::Clock& clock,
         OutboxOptions options);

  core::OutboxId enqueueIn(storage::Transaction& tx, const NewMail& mail) const;
  std::optional<OutboxItem> find(storage::Transaction& tx, core::OutboxId id) const;
  std::vector<OutboxItem> list(storage::Transaction& tx, std::optional<OutboxStatus> status, core::OutboxId afterId,
                               int limit) const;

  // Claims the oldest due item for a lease; nullopt when none is due.
  std::optional<OutboxItem> claim();
  void markSent(core::OutboxId id);
  void markFailed(core::OutboxId id, int attempts, const std::string& error);

 private:
  OutboxItem fromRow(const storage::Row& row) const;

  storage::Database& database_;
  const identity::KeyFileCipher& cipher_;
  const core::Clock& clock_;
  OutboxOptions options_;
};

// Turns an outbox item into the e-mail to send (attachments rendered or
// loaded now). Throws core::Error when it cannot (the item then fails).
using MailComposer = std::function<Mail(const OutboxItem&)>;

// One background thread per daemon delivering due items; woken at once
// after a request enqueues, and every `poll` otherwise.
class OutboxSender {
 public:
  OutboxSender(Outbox& outbox, Mailer& mailer, MailComposer compose, std::chrono::milliseconds poll);
  ~OutboxSender();
  OutboxSender(const OutboxSender&) = delete;
  OutboxSender& operator=(const OutboxSender&) = delete;

  void start();
  void stop();  // waits for the e-mail being sent, if any
  void wake();

 private:
  void run();
  // Sends every due item; returns when none is left.
  void drain();

  Outbox& outbox_;
  Mailer& mailer_;
  MailComposer compose_;
  std::chrono::milliseconds poll_;
  std::mutex mutex_;
  std::condition_variable wakeUp_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace parcours::invoices
