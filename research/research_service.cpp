#include "research/research_service.h"

#include "identity/audit_log.h"
#include "identity/secure_random.h"
#include "identity/token.h"
#include "participants/text_rules.h"

namespace parcours::research {

using core::Error;
using core::ErrorCode;

namespace {

std::string requiredText(const std::optional<std::string>& value, const char* field, std::size_t maxBytes) {
  const std::string text = participants::trim(value.value_or(""));
  if (text.empty()) throw Error(ErrorCode::unprocessable, "is required", field);
  if (text.size() > maxBytes || !participants::isValidUtf8(text) ||
      participants::hasControlCharacters(text, /*allowNewline=*/false)) {
    throw Error(ErrorCode::unprocessable,
                "must be UTF-8 text of at most " + std::to_string(maxBytes) + " bytes, on one line", field);
  }
  return text;
}

std::string keyOf(const FileFacts& file, Dimension by) {
  switch (by) {
    case Dimension::outcome: return outcomeOf(file.status);
    case Dimension::month: return referralMonthOf(file.referredOn);
    case Dimension::age_band: return ageBandAt(file.birthDate, file.referredOn);
  }
  return "";
}

std::vector<std::string> keysOf(const std::vector<FileFacts>& files, Dimension by) {
  std::vector<std::string> keys;
  keys.reserve(files.size());
  for (const auto& f : files) keys.push_back(keyOf(f, by));
  return keys;
}

}  // namespace

std::optional<Dimension> dimensionFromString(std::string_view text) {
  if (text == "outcome") return Dimension::outcome;
  if (text == "month") return Dimension::month;
  if (text == "age_band") return Dimension::age_band;
  return std::nullopt;
}

ResearchService::ResearchService(storage::Database& database, const identity::KeyFileCipher& cipher,
                                 const core::Clock& clock, const date::time_zone& zone)
    : database_(database), clock_(clock), store_(cipher, zone) {}

StudyId ResearchService::createStudy(const StudyInput& input, const identity::AuditContext& context) {
  Study study;
  study.name = requiredText(input.name, "name", 200);
  study.purpose = requiredText(input.purpose, "purpose", 2000);
  study.ethicsReference = requiredText(input.ethicsReference, "ethics_reference", 200);
  study.createdBy = context.actorUserId;
  study.createdAt = clock_.now();
  const std::string key = identity::randomBytes(kStudyKeyBytes);
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    const StudyId id = store_.insertStudy(tx, study, key);
    identity::recordAudit(tx,
                          {context.actorUserId, "research.study_create", "study", id.toString(), context.requestId, ""},
                          study.createdAt);
    return id;
  });
}

std::vector<Study> ResearchService::studies() {
  return database_.transact(storage::TxMode::read, [&](storage::Transaction& tx) { return store_.studies(tx); });
}

ExportResult ResearchService::exportStudy(StudyId studyId, const ExportRenderer& render,
                                          const identity::AuditContext& context) {
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    if (!store_.study(tx, studyId)) throw Error(ErrorCode::not_found, "no such study");
    const StudyKey key(store_.keyOf(tx, studyId));
    std::vector<std::vector<ExportCell>> rows;
    for (const auto& file : store_.consentingFiles(tx)) rows.push_back(cellsOf(exportRowOf(file, key)));
    ExportResult result;
    result.bytes = render(exportColumns(), rows);
    result.rowCount = static_cast<std::int64_t>(rows.size());
    result.sha256 = identity::sha256Hex(result.bytes);
    const auto now = clock_.now();
    store_.logExport(tx, studyId, context.actorUserId, now, result.rowCount, result.sha256);
    identity::recordAudit(tx,
                          {context.actorUserId, "research.export", "study", studyId.toString(), context.requestId,
                           "rows=" + std::to_string(result.rowCount) + " sha256=" + result.sha256},
                          now);
    return result;
  });
}

AggregateTable ResearchService::aggregates(StudyId studyId, Dimension by, const identity::AuditContext& context) {
  return database_.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    if (!store_.study(tx, studyId)) throw Error(ErrorCode::not_found, "no such study");
    const auto files = store_.consentingFiles(tx);
    std::vector<std::vector<std::string>> all;
    for (const auto d : {Dimension::outcome, Dimension::month, Dimension::age_band}) all.push_back(keysOf(files, d));
    const char* names[] = {"outcome", "month", "age_band"};
    const auto index = static_cast<std::size_t>(by);
    AggregateTable table = aggregateTable(names[index], all[index], all);
    identity::recordAudit(tx,
                          {context.actorUserId, "research.aggregates", "study", studyId.toString(), context.requestId,
                           std::string("by=") + names[index]},
                          clock_.now());
    return table;
  });
}

std::vector<ExportLogEntry> ResearchService::exportLog(std::int64_t afterId, int limit) {
  return database_.transact(storage::TxMode::read,
                            [&](storage::Transaction& tx) { return store_.exportLog(tx, afterId, limit); });
}

}  // namespace parcours::research
