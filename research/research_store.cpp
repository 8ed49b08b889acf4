#include "research/research_store.h"

#include <map>

#include "participants/eligibility.h"

namespace parcours::research {

using storage::Blob;
using storage::Row;
using storage::Value;

namespace {

constexpr const char* kKeyContext = "research_studies.key";
// Joined to every fact query: only files whose participant consented.
constexpr const char* kConsenting = " JOIN participants p ON p.id = t.participant_id WHERE p.research_consent = 1";

core::LocalDate dateOf(const Row& row, std::size_t column) {
  return core::parseDate(row.text(column).substr(0, 10));
}

std::optional<core::LocalDate> optionalDateOf(const Row& row, std::size_t column) {
  if (row.isNull(column)) return std::nullopt;
  return dateOf(row, column);
}

Study studyOf(const Row& row) {
  Study s;
  s.id = StudyId(row.int64(0));
  s.name = row.text(1);
  s.purpose = row.text(2);
  s.ethicsReference = row.text(3);
  if (const auto by = row.optInt64(4)) s.createdBy = core::UserId(*by);
  s.createdAt = row.instant(5);
  return s;
}

}  // namespace

StudyId ResearchStore::insertStudy(storage::Transaction& tx, const Study& study, const std::string& rawKey) const {
  tx.execute(
      "INSERT INTO research_studies (name, purpose, ethics_reference, key_enc, created_by, created_at)"
      " VALUES (?, ?, ?, ?, ?, ?)",
      {study.name, study.purpose, study.ethicsReference, Blob{}, storage::optional(study.createdBy), study.createdAt});
  const StudyId id(tx.lastInsertId());
  tx.execute("UPDATE research_studies SET key_enc = ? WHERE id = ?",
             {Blob{cipher_.encrypt(rawKey, kKeyContext, id.value())}, storage::id(id)});
  return id;
}

std::optional<Study> ResearchStore::study(storage::Transaction& tx, StudyId id) const {
  const auto row = tx.queryOne(
      "SELECT id, name, purpose, ethics_reference, created_by, created_at FROM research_studies WHERE id = ?",
      {storage::id(id)});
  if (!row) return std::nullopt;
  return studyOf(*row);
}

std::vector<Study> ResearchStore::studies(storage::Transaction& tx) const {
  std::vector<Study> all;
  for (const auto& row : tx.query(
           "SELECT id, name, purpose, ethics_reference, created_by, created_at FROM research_studies ORDER BY id")) {
    all.push_back(studyOf(row));
  }
  return all;
}

std::string ResearchStore::keyOf(storage::Transaction& tx, StudyId id) const {
  const auto row = tx.queryOne("SELECT key_enc FROM research_studies WHERE id = ?", {storage::id(id)});
  if (!row) throw core::Error(core::ErrorCode::not_found, "no such study");
  return cipher_.decrypt(row->blob(0), kKeyContext, id.value());
}

std::vector<FileFacts> ResearchStore::consentingFiles(storage::Transaction& tx) const {
  std::vector<FileFacts> files;
  std::map<std::int64_t, std::size_t> at;  // participant id → index in files
  const auto localDay = [&](core::Instant instant) { return core::localDateOf(instant, zone_); };
  for (const auto& row :
       tx.query("SELECT id, status, language, birth_date_enc, referred_on, eligibility_at, commitment_signed_on,"
                " withdrawn_at, updated_at, prosecutor_decision, offence_involved_minor, history_of_violence,"
                " ineligibility_reasons FROM participants WHERE research_consent = 1 ORDER BY id")) {
    FileFacts f;
    f.id = core::ParticipantId(row.int64(0));
    f.status = participants::statusFromString(row.text(1)).value_or(participants::Status::referred);
    f.language = row.text(2);
    if (!row.isNull(3)) {
      const std::string birth = cipher_.decrypt(row.blob(3), "participants.birth_date", f.id.value());
      // A full date; anything else (a birth date reduced by retention) leaves the age unknown.
      if (birth.size() == 10) f.birthDate = core::parseDate(birth);
    }
    f.referredOn = dateOf(row, 4);
    if (const auto decided = row.optInstant(5)) f.decidedOn = localDay(*decided);
    f.committedOn = optionalDateOf(row, 6);
    if (f.status == participants::Status::withdrawn) {
      if (const auto withdrawn = row.optInstant(7)) f.closedOn = localDay(*withdrawn);
    } else if (f.status == participants::Status::completed) {
      f.closedOn = localDay(row.instant(8));  // completed is final: the last change is the completion
    }
    f.decided = !row.isNull(9);
    f.offenceInvolvedMinor = row.optInt64(10).value_or(0) != 0;
    f.historyOfViolence = row.optInt64(11).value_or(0) != 0;
    f.earlierParticipation =
        row.optText(12).value_or("").find(participants::reason::earlier_participation) != std::string::npos;
    at[f.id.value()] = files.size();
    files.push_back(std::move(f));
  }
  const auto fileOf = [&](const Row& row) -> FileFacts& { return files[at.at(row.int64(0))]; };

  for (const auto& row :
       tx.query(std::string("SELECT t.participant_id, t.start_at, t.status FROM sessions t") + kConsenting)) {
    const auto status = scheduler::sessionStatusFromString(row.text(2));
    if (status) fileOf(row).sessions.push_back({localDay(row.instant(1)), *status});
  }
  for (const auto& row : tx.query(std::string("SELECT t.participant_id, t.practitioner_id, pr.discipline FROM plans t"
                                              " JOIN practitioners pr ON pr.id = t.practitioner_id") +
                                  kConsenting + " ORDER BY t.participant_id, t.id")) {
    auto& file = fileOf(row);
    if (!file.practitioner) file.practitioner = PractitionerFacts{core::PractitionerId(row.int64(1)), row.text(2)};
  }
  for (const auto& row :
       tx.query(std::string("SELECT t.participant_id FROM seats t") + kConsenting + " AND t.status = 'attended'")) {
    fileOf(row).awarenessDayAttended = true;
  }
  for (const auto& row : tx.query(std::string("SELECT t.participant_id, t.fee_cents FROM accounts t") + kConsenting)) {
    fileOf(row).fee = FeeFacts{0, row.int64(1)};
  }
  for (const auto& row : tx.query(std::string("SELECT t.participant_id, SUM(t.amount_cents) FROM ledger_entries t") +
                                  kConsenting + " AND t.kind = 'charge' GROUP BY t.participant_id")) {
    auto& file = fileOf(row);
    if (file.fee) file.fee->chargedCents = row.int64(1);
  }
  // Installments by (participant, seq), in seq order, with the payments applied to them.
  std::map<std::pair<std::int64_t, std::int64_t>, InstallmentFacts> installments;
  for (const auto& row : tx.query(std::string("SELECT t.participant_id, t.seq, t.due_on, t.amount_cents"
                                              " FROM installments t") +
                                  kConsenting + " AND t.replaced = 0")) {
    installments[{row.int64(0), row.int64(1)}] = InstallmentFacts{dateOf(row, 2), row.int64(3), {}};
  }
  // Payments returned by the bank (a bounced cheque) paid nothing.
  for (const auto& row :
       tx.query(std::string("SELECT t.participant_id, a.seq, a.amount_cents, t.received_on"
                            " FROM payments t JOIN payment_allocations a ON a.payment_id = t.id") +
                kConsenting + " AND NOT EXISTS (SELECT 1 FROM returned_payments r WHERE r.payment_id = t.id)")) {
    const auto found = installments.find({row.int64(0), row.int64(1)});
    if (found != installments.end()) found->second.allocations.push_back({dateOf(row, 3), row.int64(2)});
  }
  for (auto& [key, installment] : installments) files[at.at(key.first)].installments.push_back(std::move(installment));
  return files;
}

void ResearchStore::logExport(storage::Transaction& tx, StudyId study, std::optional<core::UserId> by, core::Instant at,
                              std::int64_t rowCount, const std::string& sha256) const {
  tx.execute(
      "INSERT INTO research_exports (study_id, exported_by, exported_at, row_count, sha256) VALUES (?, ?, ?, ?, ?)",
      {storage::id(study), storage::optional(by), at, rowCount, sha256});
}

std::vector<ExportLogEntry> ResearchStore::exportLog(storage::Transaction& tx, std::int64_t afterId, int limit) const {
  std::vector<ExportLogEntry> entries;
  for (const auto& row :
       tx.query("SELECT e.id, e.study_id, s.name, s.purpose, s.ethics_reference, e.exported_by, e.exported_at,"
                " e.row_count, e.sha256 FROM research_exports e JOIN research_studies s ON s.id = e.study_id"
                " WHERE e.id > ? ORDER BY e.id LIMIT ?",
                {afterId, std::int64_t{limit}})) {
    ExportLogEntry e;
    e.id = row.int64(0);
    e.study = StudyId(row.int64(1));
    e.studyName = row.text(2);
    e.purpose = row.text(3);
    e.ethicsReference = row.text(4);
    if (const auto by = row.optInt64(5)) e.exportedBy = core::UserId(*by);
    e.exportedAt = row.instant(6);
    e.rowCount = row.int64(7);
    e.sha256 = row.text(8);
    entries.push_back(std::move(e));
  }
  return entries;
}

}  // namespace parcours::research
