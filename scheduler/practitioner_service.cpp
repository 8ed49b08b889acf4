#include "scheduler/practitioner_service.h"

#include <algorithm>

#include "identity/audit_log.h"

namespace parcours::scheduler {

using core::Error;
using core::ErrorCode;

namespace {

bool hasControl(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
}

}  // namespace

PractitionerService::PractitionerService(storage::Database& database, const core::Clock& clock,
                                         std::string defaultTimeZone)
    : database_(database), clock_(clock), defaultTimeZone_(std::move(defaultTimeZone)) {}

PractitionerView PractitionerService::create(const NewPractitioner& in, const identity::AuditContext& context) {
  Error errors(ErrorCode::unprocessable, "the practitioner is not valid");
  bool failed = false;
  const auto fail = [&](const std::string& field, const std::string& message) {
    errors.addFieldError(field, message);
    failed = true;
  };
  const std::string name = in.displayName.value_or("");
  if (name.empty() || name.size() > 200 || hasControl(name))
    fail("display_name", "1 to 200 bytes, no control characters");
  const std::string discipline = in.discipline.value_or("");
  if (discipline != "sexologist" && discipline != "therapist") fail("discipline", "must be sexologist or therapist");
  const std::string email = in.email.value_or("");
  const auto at = email.find('@');
  if (email.size() > 254 || at == std::string::npos || at == 0 || email.find('.', at) == std::string::npos ||
      hasControl(email) || email.find(' ') != std::string::npos) {
    fail("email", "must be an e-mail address");
  }
  const std::string zone = in.timeZone.value_or(defaultTimeZone_);
  try {
    core::findZone(zone);
  } catch (const Error&) {
    fail("time_zone", "unknown IANA time zone");
  }
  const std::int64_t session = in.sessionMinutes.value_or(60);
  if (session < 30 || session > 120 || session % 15 != 0) fail("session_minutes", "30 to 120, a multiple of 15");
  const std::int64_t buffer = in.bufferMinutes.value_or(0);
  if (buffer < 0 || buffer > 120) fail("buffer_minutes", "0 to 120");
  if (failed) throw errors;
  PractitionerView practitioner{
      core::PractitionerId(0),  name,        discipline, email, zone, static_cast<int>(session),
      static_cast<int>(buffer), clock_.now()};
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    practitioner.id = store_.insert(tx, practitioner);
    identity::recordAudit(tx,
                          {context.actorUserId, "practitioner.create", "practitioner", practitioner.id.toString(),
                           context.requestId, discipline},
                          practitioner.createdAt);
    return *store_.find(tx, practitioner.id);
  });
}

PractitionerView PractitionerService::get(core::PractitionerId id) const {
  const auto found =
      database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) { return store_.find(tx, id); });
  if (!found) throw Error(ErrorCode::not_found, "no such practitioner");
  return *found;
}

std::vector<PractitionerView> PractitionerService::list(std::optional<core::PractitionerId> afterId, int limit) const {
  return database_.transact(storage::TxMode::read,
                            [&](storage::Transaction& tx) { return store_.list(tx, afterId, limit); });
}

bool PractitionerService::exists(core::PractitionerId id) const {
  return database_.transact(storage::TxMode::read,
                            [&](storage::Transaction& tx) { return store_.find(tx, id).has_value(); });
}

}  // namespace parcours::scheduler
