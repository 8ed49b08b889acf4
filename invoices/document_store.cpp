#include "invoices/document_store.h"

#include "core/error.h"
#include "identity/token.h"
#include "storage/filters.h"

namespace parcours::invoices {

namespace {
constexpr const char* kColumns =
    "SELECT id, number, kind, participant_id, issued_at, currency, total_cents, content_enc, content_sha256,"
    " digest_kind FROM documents";
constexpr const char* kPdfColumns = "SELECT id, pdf_enc, pdf_sha256, digest_kind, number FROM document_pdfs";
constexpr const char* kContentContext = "documents.content";
constexpr const char* kPdfContext = "document_pdfs.pdf";
// digest_kind: what content_sha256 / pdf_sha256 hold.
constexpr std::int64_t kPlainDigest = 0;  // SHA-256 (rows stored before digests were keyed)
constexpr std::int64_t kKeyedDigest = 1;  // HMAC-SHA256 under the digest key
constexpr int kDigestBatch = 100;
}  // namespace

DocumentStore::DocumentStore(const identity::KeyFileCipher& cipher, const identity::KeyedHasher& digests,
                             const date::time_zone& programZone)
    : cipher_(cipher), digests_(digests), programZone_(programZone) {}

DocumentView DocumentStore::issueDocument(storage::Transaction& tx, const NewDocument& document,
                                          core::Instant issuedAt) const {
  const auto localDay = core::localDateOf(issuedAt, programZone_);
  const int year = static_cast<int>(date::year_month_day{localDay}.year());
  DocumentView view;
  view.number = takeNumber(tx, document.kind, year);
  view.kind = document.kind;
  view.participantId = document.participantId;
  view.issuedAt = issuedAt;
  view.total = document.total;
  view.contentJson = document.contentJson;
  view.contentSha256 = identity::sha256Hex(document.contentJson);
  tx.execute(
      "INSERT INTO documents (number, kind, participant_id, issued_at, year, currency, total_cents, content_enc,"
      " content_sha256, digest_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {view.number, std::string(toString(view.kind)), storage::id(view.participantId), issuedAt, std::int64_t{year},
       std::string(view.total.currency()), view.total.cents(), storage::Blob{}, digests_.hash(view.contentJson),
       kKeyedDigest});
  // Sealed once the row has its id, which the content is bound to.
  const std::int64_t id = tx.lastInsertId();
  const std::string seal = "UPDATE documents SET content_enc = ? WHERE id = ?";  // append-only: seals this new row
  tx.execute(seal, {storage::Blob{cipher_.encrypt(view.contentJson, kContentContext, id)}, id});
  if (renderer_) storePdf(tx, view);
  return view;
}

void DocumentStore::storePdf(storage::Transaction& tx, const DocumentView& document) const {
  const std::string bytes = renderer_(document);
  tx.execute("INSERT INTO document_pdfs (number, pdf_enc, pdf_sha256, digest_kind) VALUES (?, ?, ?, ?)",
             {document.number, storage::Blob{}, digests_.hash(bytes), kKeyedDigest});
  const std::int64_t id = tx.lastInsertId();
  tx.execute("UPDATE document_pdfs SET pdf_enc = ? WHERE id = ?",
             {storage::Blob{cipher_.encrypt(bytes, kPdfContext, id)}, id});
}

// Decrypts the column `enc` of `row` (bound to the row's id, column 0) and
// checks it against its digest, keyed or plain as `kind` says.
std::string DocumentStore::checkedContent(const storage::Row& row, std::size_t enc, std::size_t digest,
                                          std::size_t kind, std::string_view context, const std::string& what) const {
  std::string content = cipher_.decrypt(row.blob(enc), context, row.int64(0));
  const std::string expected = row.int64(kind) == kPlainDigest ? identity::sha256Hex(content) : digests_.hash(content);
  if (expected != row.text(digest)) {
    throw core::Error(core::ErrorCode::internal, what + " does not match its fingerprint");
  }
  return content;
}

std::optional<std::string> DocumentStore::pdf(storage::Transaction& tx, const std::string& number) const {
  const auto row = tx.queryOne(std::string(kPdfColumns) + " WHERE number = ?", {number});
  if (!row) return std::nullopt;
  if (row->int64(3) == kDestroyedPdf) {
    throw core::Error(core::ErrorCode::not_found, "the PDF was destroyed (retention)");
  }
  return checkedContent(*row, 1, 2, 3, kPdfContext, "the PDF of " + number);
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

int DocumentStore::keyLegacyDigests(storage::Database& database) const {
  // One table at a time: its rows still holding a plain digest, a batch per
  // transaction; each is checked, then rewritten only if still plain.
  struct Columns {
    std::size_t enc, digest, kind, number;
  };
  const auto rewrite = [&](const std::string& select, const std::string& update, Columns c, std::string_view context) {
    int rewritten = 0;
    for (;;) {
      const int done = database.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
        int n = 0;
        for (const auto& row : tx.query(select + " WHERE digest_kind = ? ORDER BY id LIMIT ?",
                                        {kPlainDigest, std::int64_t{kDigestBatch}})) {
          const std::string content =
              checkedContent(row, c.enc, c.digest, c.kind, context, "stored document " + row.text(c.number));
          n += static_cast<int>(tx.execute(update, {digests_.hash(content), kKeyedDigest, row.int64(0), kPlainDigest}));
        }
        return n;
      });
      rewritten += done;
      if (done == 0) return rewritten;
    }
  };
  // The digest of the same content, now keyed: what the document says is unchanged.
  const std::string keyDocumentDigest =
      "UPDATE documents SET content_sha256 = ?, digest_kind = ? WHERE id = ? AND digest_kind = ?";  // append-only: same

  return rewrite(kColumns, keyDocumentDigest, {7, 8, 9, 1}, kContentContext) +
         rewrite(kPdfColumns,
                 "UPDATE document_pdfs SET pdf_sha256 = ?, digest_kind = ? WHERE id = ? AND digest_kind = ?",
                 {1, 2, 3, 4}, kPdfContext);
}

DocumentView DocumentStore::fromRow(const storage::Row& row) const {
  DocumentView view;
  view.number = row.text(1);
  view.kind = documentKindFromString(row.text(2)).value_or(DocumentKind::invoice);
  view.participantId = row.id<core::ParticipantTag>(3);
  view.issuedAt = row.instant(4);
  view.total = core::Money(row.int64(6), row.text(5));
  view.contentJson = checkedContent(row, 7, 8, 9, kContentContext, "document " + view.number);
  view.contentSha256 = identity::sha256Hex(view.contentJson);
  return view;
}

std::optional<DocumentView> DocumentStore::find(storage::Transaction& tx, const std::string& number) const {
  const auto row = tx.queryOne(std::string(kColumns) + " WHERE number = ?", {number});
  if (!row) return std::nullopt;
  return fromRow(*row);
}

std::vector<DocumentRow> DocumentStore::list(storage::Transaction& tx, const DocumentFilter& filter) const {
  storage::Filters where;
  where.add("participant_id", "=", storage::optional(filter.participantId))
      .add("kind", "=", filter.kind ? storage::Value(std::string(toString(*filter.kind))) : storage::null());
  storage::Params params{storage::id(filter.afterId)};
  params.insert(params.end(), where.params().begin(), where.params().end());
  params.push_back(std::int64_t{filter.limit});
  std::vector<DocumentRow> rows;
  for (const auto& row :
       tx.query(std::string(kColumns) + " WHERE id > ? AND " + where.sql() + " ORDER BY id LIMIT ?", params)) {
    rows.push_back({row.id<core::DocumentTag>(0), fromRow(row)});
  }
  return rows;
}

}  // namespace parcours::invoices
