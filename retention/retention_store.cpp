#include "retention/retention_store.h"

#include "finance/bank_line_store.h"
#include "identity/token.h"
#include "invoices/document_numbers.h"
#include "invoices/document_store.h"
#include "retention/document_redaction.h"

namespace parcours::retention {

using storage::Blob;
using storage::Null;
using storage::Value;

namespace {
// The contexts the owning modules bind their ciphertexts to.
constexpr const char* kGivenName = "participants.given_name";
constexpr const char* kFamilyName = "participants.family_name";
constexpr const char* kBirthDate = "participants.birth_date";
constexpr const char* kReferralReference = "participants.referral_reference";
constexpr const char* kRefundReason = "refunds.reason";
constexpr const char* kDocumentContent = "documents.content";
constexpr const char* kDocumentPdf = "document_pdfs.pdf";
constexpr const char* kUserEmail = "users.email";
constexpr const char* kUserName = "users.display_name";
constexpr std::int64_t kKeyedDigest = 1;  // documents.digest_kind: HMAC-SHA256 under the digest key

std::vector<std::int64_t> ids(storage::Transaction& tx, std::string_view sql, const storage::Params& params) {
  std::vector<std::int64_t> out;
  for (const auto& row : tx.query(sql, params)) out.push_back(row.int64(0));
  return out;
}
}  // namespace

Blob RetentionStore::erased(const char* context, std::int64_t rowId) const {
  return Blob{cipher_.encrypt("", context, rowId)};
}

std::vector<FileClosure> RetentionStore::closedFiles(storage::Transaction& tx) const {
  std::vector<FileClosure> files;
  for (const auto& row :
       tx.query("SELECT id, code, status, withdrawn_at, eligibility_at, updated_at FROM participants"
                " WHERE status IN ('completed', 'withdrawn', 'ineligible') AND anonymised_at IS NULL ORDER BY id")) {
    FileClosure file;
    file.id = row.id<core::ParticipantTag>(0);
    file.code = row.text(1);
    file.status = participants::statusFromString(row.text(2)).value_or(participants::Status::referred);
    file.withdrawnAt = row.optInstant(3);
    file.eligibilityDecidedAt = row.optInstant(4);
    file.lastUpdatedAt = row.optInstant(5);
    files.push_back(std::move(file));
  }
  return files;
}

bool RetentionStore::anonymise(storage::Transaction& tx, const ClosedFile& file, core::Instant now) const {
  if (!claim(tx, file, now)) return false;
  eraseParticipantFields(tx, file);
  eraseSchedulingAndPayments(tx, file);
  redactDocuments(tx, file);
  eraseSignIn(tx, file, now);
  eraseBankDetails(tx, file);
  return true;
}

// The row's lock (as every status transition takes it) and the once-only
// check: a second run, here or on another daemon, waits on the lock and then
// finds the file anonymised.
bool RetentionStore::claim(storage::Transaction& tx, const ClosedFile& file, core::Instant now) const {
  return tx.execute(
             "UPDATE participants SET version = version + 1, anonymised_at = ? WHERE id = ? AND anonymised_at IS NULL"
             " AND status IN ('completed', 'withdrawn', 'ineligible')",
             {now, storage::id(file.id)}) == 1;
}

void RetentionStore::eraseParticipantFields(storage::Transaction& tx, const ClosedFile& file) const {
  const std::int64_t id = file.id.value();
  const auto row = tx.queryOne("SELECT birth_date_enc FROM participants WHERE id = ?", {id});
  const std::string birthYear = cipher_.decrypt(row->blob(0), kBirthDate, id).substr(0, 4);
  tx.execute(
      "UPDATE participants SET given_name_enc = ?, family_name_enc = ?, birth_date_enc = ?, email_enc = NULL,"
      " phone_enc = NULL, address_enc = NULL, referral_reference_enc = ?, eligibility_notes_enc = NULL,"
      " withdrawal_reason_enc = NULL WHERE id = ?",
      {erased(kGivenName, id), erased(kFamilyName, id), Blob{cipher_.encrypt(birthYear, kBirthDate, id)},
       erased(kReferralReference, id), id});
}

void RetentionStore::eraseSchedulingAndPayments(storage::Transaction& tx, const ClosedFile& file) const {
  const std::int64_t id = file.id.value();
  tx.execute("UPDATE sessions SET cancel_reason = NULL, cancel_reason_enc = NULL WHERE participant_id = ?", {id});
  tx.execute("UPDATE payments SET reference_enc = NULL WHERE participant_id = ?", {id});
  for (const auto refund : ids(tx, "SELECT id FROM refunds WHERE participant_id = ?", {id})) {
    tx.execute("UPDATE refunds SET reason_enc = ? WHERE id = ?", {erased(kRefundReason, refund), refund});
  }
  tx.execute("DELETE FROM email_outbox WHERE participant_id = ?", {id});
}

void RetentionStore::redactDocuments(storage::Transaction& tx, const ClosedFile& file) const {
  const auto rows = tx.query("SELECT id, number, kind, currency, content_enc FROM documents WHERE participant_id = ?",
                             {storage::id(file.id)});
  for (const auto& row : rows) {
    const std::int64_t id = row.int64(0);
    const auto kind = invoices::documentKindFromString(row.text(2));
    if (!kind) throw core::Error(core::ErrorCode::internal, "document " + row.text(1) + " has an unknown kind");
    const std::string content =
        redactedDocumentContent(*kind, cipher_.decrypt(row.blob(4), kDocumentContent, id), row.text(3), file.code);
    // Numbers, amounts and dates stay; the name, address and free text go.
    const char* redact =
        "UPDATE documents SET content_enc = ?, content_sha256 = ?,"  // append-only: redaction
        " digest_kind = ? WHERE id = ?";
    tx.execute(redact,
               {Blob{cipher_.encrypt(content, kDocumentContent, id)}, digests_.hash(content), kKeyedDigest, id});
    for (const auto pdf : ids(tx, "SELECT id FROM document_pdfs WHERE number = ?", {row.text(1)})) {
      tx.execute("UPDATE document_pdfs SET pdf_enc = ?, pdf_sha256 = '', digest_kind = ? WHERE id = ?",
                 {erased(kDocumentPdf, pdf), invoices::kDestroyedPdf, pdf});
    }
  }
}

void RetentionStore::eraseSignIn(storage::Transaction& tx, const ClosedFile& file, core::Instant now) const {
  for (const auto user : ids(tx, "SELECT id FROM users WHERE participant_id = ?", {storage::id(file.id)})) {
    // A lookup that no e-mail hashes to, unique per user.
    const std::string lookup = identity::sha256Hex("anonymised user " + std::to_string(user));
    tx.execute(
        "UPDATE users SET email_lookup = ?, email_enc = ?, display_name_enc = ?, password_hash = '!', disabled = 1"
        " WHERE id = ?",
        {lookup, erased(kUserEmail, user), Blob{cipher_.encrypt(file.code, kUserName, user)}, user});
    tx.execute("UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", {now, user});
  }
}

void RetentionStore::eraseBankDetails(storage::Transaction& tx, const ClosedFile& file) const {
  const std::int64_t id = file.id.value();
  const finance::BankLineStore lines(cipher_);
  const auto lineIds =
      ids(tx,
          "SELECT l.line_id FROM bank_line_payments l JOIN payments p ON p.id = l.payment_id WHERE p.participant_id = ?"
          " UNION SELECT b.id FROM bank_lines b JOIN payments p ON p.id = b.recorded_payment_id"
          " WHERE p.participant_id = ?",
          {id, id});
  for (const auto lineId : lineIds) {
    const auto line = lines.find(tx, core::BankLineId(lineId));
    if (!line) continue;
    finance::BankLineDetails details = line->details;  // the bank's own ids stay; the payer goes
    details.account.clear();
    details.description.clear();
    details.reference.clear();
    details.note.reset();
    lines.sealDetails(tx, line->id, details);
  }
  tx.execute("DELETE FROM payer_aliases WHERE participant_id = ?", {id});
}

}  // namespace parcours::retention
