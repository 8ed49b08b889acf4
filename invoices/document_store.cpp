#include "invoices/document_store.h"

#include "core/error.h"
#include "identity/token.h"

namespace parcours::invoices {

namespace {
constexpr const char* kColumns =
    "SELECT id, number, kind, participant_id, issued_at, currency, total_cents, content_enc, content_sha256"
    " FROM documents";
constexpr const char* kContentContext = "documents.content";
constexpr const char* kPdfContext = "document_pdfs.pdf";
}  // namespace

DocumentStore::DocumentStore(const identity::KeyFileCipher& cipher, const date::time_zone& programZone)
    : cipher_(cipher), programZone_(programZone) {}

DocumentView DocumentStore::issueDocument(storage::Transaction& tx, const NewDocument& document,
                                          core::Instant issuedAt) const {
  const auto localDay = core::localDateOf(issuedAt, programZone_);
  const int year = static_cast<int>(date::year_month_day{localDay}.year());
  DocumentView view;
  view.number = takeNumber(tx, document.kind, year);
  view.kind = document.kind;
  view.participantId = document.participantId;
  view.issuedAt = issuedAt;
  view.currency = document.currency;
  view.totalCents = document.totalCents;
  view.contentJson = document.contentJson;
  view.contentSha256 = identity::sha256Hex(document.contentJson);
  tx.execute(
      "INSERT INTO documents (number, kind, participant_id, issued_at, year, currency, total_cents, content_enc,"
      " content_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {view.number, std::string(toString(view.kind)), view.participantId, issuedAt, std::int64_t{year}, view.currency,
       view.totalCents, storage::Blob{cipher_.encrypt(view.contentJson, kContentContext)}, view.contentSha256});
  if (renderer_) storePdf(tx, view);
  return view;
}

void DocumentStore::storePdf(storage::Transaction& tx, const DocumentView& document) const {
  const std::string bytes = renderer_(document);
  tx.execute("INSERT INTO document_pdfs (number, pdf_enc, pdf_sha256) VALUES (?, ?, ?)",
             {document.number, storage::Blob{cipher_.encrypt(bytes, kPdfContext)}, identity::sha256Hex(bytes)});
}

std::optional<std::string> DocumentStore::pdf(storage::Transaction& tx, const std::string& number) const {
  const auto row = tx.queryOne("SELECT pdf_enc, pdf_sha256 FROM document_pdfs WHERE number = ?", {number});
  if (!row) return std::nullopt;
  std::string bytes = cipher_.decrypt(row->blob(0), kPdfContext);
  if (identity::sha256Hex(bytes) != row->text(1)) {
    throw core::Error(core::ErrorCode::internal, "the PDF of " + number + " does not match its fingerprint");
  }
  return bytes;
}

int DocumentStore::renderMissingPdfs(storage::Database& database) const {
  if (!renderer_) return 0;
  int rendered = 0;
  for (;;) {
    const bool more = database.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
      const auto row = tx.queryOne(std::string(kColumns) +
                                   " WHERE number NOT IN (SELECT number FROM document_pdfs) ORDER BY id LIMIT 1");
      if (!row) return false;
      storePdf(tx, fromRow(*row));
      return true;
    });
    if (!more) return rendered;
    ++rendered;
  }
}

DocumentView DocumentStore::fromRow(const storage::Row& row) const {
  DocumentView view;
  view.number = row.text(1);
  view.kind = documentKindFromString(row.text(2)).value_or(DocumentKind::invoice);
  view.participantId = row.int64(3);
  view.issuedAt = row.instant(4);
  view.currency = row.text(5);
  view.totalCents = row.int64(6);
  view.contentJson = cipher_.decrypt(row.blob(7), kContentContext);
  view.contentSha256 = row.text(8);
  if (identity::sha256Hex(view.contentJson) != view.contentSha256) {
    throw core::Error(core::ErrorCode::internal, "document " + view.number + " does not match its fingerprint");
  }
  return view;
}

std::optional<DocumentView> DocumentStore::find(storage::Transaction& tx, const std::string& number) const {
  const auto row = tx.queryOne(std::string(kColumns) + " WHERE number = ?", {number});
  if (!row) return std::nullopt;
  return fromRow(*row);
}

std::vector<DocumentRow> DocumentStore::list(storage::Transaction& tx, const DocumentFilter& filter) const {
  std::vector<DocumentRow> rows;
  for (const auto& row : tx.query(
           std::string(kColumns) + " WHERE id > ? AND (? IS NULL OR participant_id = ?) AND (? IS NULL OR kind = ?)"
                                   " ORDER BY id LIMIT ?",
           {filter.afterId, storage::optional(filter.participantId), storage::optional(filter.participantId),
            filter.kind ? storage::Value(std::string(toString(*filter.kind))) : storage::Value(storage::Null{}),
            filter.kind ? storage::Value(std::string(toString(*filter.kind))) : storage::Value(storage::Null{}),
            std::int64_t{filter.limit}})) {
    rows.push_back({row.int64(0), fromRow(row)});
  }
  return rows;
}

std::vector<storage::Migration> documentMigrations() {
  // `number` is unique: even a bug in numbering could not store a number twice.
  // PDFs live beside their documents, insert-only like them: a document
  // issued before PDFs existed gets its row once, at the next start.
  const storage::Migration pdfs{
      "invoices/0003_document_pdfs",
      {"CREATE TABLE IF NOT EXISTS document_pdfs (id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT NOT NULL UNIQUE,"
       " pdf_enc BLOB NOT NULL, pdf_sha256 TEXT NOT NULL)"},
      {"CREATE TABLE IF NOT EXISTS document_pdfs (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
       " number VARCHAR(20) NOT NULL UNIQUE, pdf_enc MEDIUMBLOB NOT NULL, pdf_sha256 CHAR(64) NOT NULL)"
       " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"}};
  return {{"invoices/0001_documents",
           {"CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT NOT NULL UNIQUE,"
            " kind TEXT NOT NULL, participant_id INTEGER NOT NULL, issued_at TEXT NOT NULL, year INTEGER NOT NULL,"
            " currency TEXT NOT NULL, total_cents INTEGER NOT NULL, content_enc BLOB NOT NULL,"
            " content_sha256 TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS documents_participant ON documents (participant_id, id)"},
           {"CREATE TABLE IF NOT EXISTS documents (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            " number VARCHAR(20) NOT NULL UNIQUE, kind VARCHAR(20) NOT NULL, participant_id BIGINT NOT NULL,"
            " issued_at DATETIME NOT NULL, year INT NOT NULL, currency CHAR(3) NOT NULL, total_cents BIGINT NOT NULL,"
            " content_enc MEDIUMBLOB NOT NULL, content_sha256 CHAR(64) NOT NULL,"
            " INDEX documents_participant (participant_id, id))"
            " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"}},
          pdfs};
}

}  // namespace parcours::invoices
