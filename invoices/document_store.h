#pragma once
// Issued documents (invoices, credit notes, receipts, refund receipts,
// attestations): numbered at issue and then immutable. Each is stored with
// its full content as issued — a JSON document holding every line, amount,
// name and address printed on it — encrypted at rest like the personal
// fields it copies, so it can be shown or rendered later exactly as it was.
//
// Issuers call issueDocument with their open transaction, so the document,
// its number and the ledger entry it belongs to commit together or not at all.
//
// Each document and each PDF is stored with a keyed digest (HMAC-SHA256
// under the digest key, security.digest_key_file), checked on every read: a
// plain SHA-256 of content that names a person would let anyone holding a
// copy of the database confirm a guessed name offline. The columns keep
// their names (`content_sha256`, `pdf_sha256`); `digest_kind` says what they
// hold: 0 a plain SHA-256 (rows written before digests were keyed, rewritten
// by keyLegacyDigests at start), 1 the keyed digest.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/id.h"
#include "core/money.h"
#include "core/time.h"
#include "identity/key_file_cipher.h"
#include "identity/keyed_hash.h"
#include "invoices/document_numbers.h"
#include "storage/database.h"

namespace parcours::invoices {

struct NewDocument {
  DocumentKind kind = DocumentKind::invoice;
  core::ParticipantId participantId{0};
  core::Money total{0, "CAD"};
  std::string contentJson;  // the document as issued: toJson of its content (document_contents.h)
};

struct DocumentView {
  std::string number;
  DocumentKind kind = DocumentKind::invoice;
  core::ParticipantId participantId{0};
  core::Instant issuedAt;
  core::Money total{0, "CAD"};
  std::string contentJson;
  std::string contentSha256;  // hex SHA-256 of contentJson, computed when read (never stored)
};

struct DocumentFilter {
  std::optional<core::ParticipantId> participantId;
  std::optional<DocumentKind> kind;
  core::DocumentId afterId{0};  // cursor
  int limit = 50;
};

struct DocumentRow {
  core::DocumentId id{0};
  DocumentView view;
};

// document_pdfs.digest_kind of a PDF destroyed at the end of its retention
// period (retention/retention_store.h): the row stays, the bytes are gone.
inline constexpr std::int64_t kDestroyedPdf = 2;

// Renders an issued document's PDF (in the participant's language).
using DocumentRenderer = std::function<std::string(const DocumentView&)>;

class DocumentStore {
 public:
  // REQUIRES: cipher, digests and zone outlive the store; `digests` holds
  // the digest key.
  DocumentStore(const identity::KeyFileCipher& cipher, const identity::KeyedHasher& digests,
                const date::time_zone& programZone);

  // With a renderer, every document gets its PDF at issue, in the same
  // transaction: rendered once, stored encrypted with its keyed digest,
  // and returned as stored (and checked against the digest) on every
  // download.
  void setRenderer(DocumentRenderer renderer) { renderer_ = std::move(renderer); }

  // Takes the next number of the kind for the year of `issuedAt` in the
  // program's zone and stores the document, inside `tx`.
  DocumentView issueDocument(storage::Transaction& tx, const NewDocument& document, core::Instant issuedAt) const;

  std::optional<DocumentView> find(storage::Transaction& tx, const std::string& number) const;
  // The stored PDF's bytes; nullopt when the document has none (yet).
  // Throws core::Error(not_found) when retention destroyed it.
  std::optional<std::string> pdf(storage::Transaction& tx, const std::string& number) const;
  // Renders the PDF of every document issued before PDFs existed (once;
  // each in its own transaction). Returns how many were rendered.
  int renderMissingPdfs(storage::Database& database) const;
  // Start-up step: replaces the plain SHA-256 digests of documents and PDFs
  // stored before digests were keyed by keyed ones, after checking each
  // against its content. Idempotent and resumable (batches, each in its own
  // transaction, compare-and-set). Returns how many digests it rewrote.
  int keyLegacyDigests(storage::Database& database) const;
  std::vector<DocumentRow> list(storage::Transaction& tx, const DocumentFilter& filter) const;

 private:
  DocumentView fromRow(const storage::Row& row) const;
  void storePdf(storage::Transaction& tx, const DocumentView& document) const;

  std::string checkedContent(const storage::Row& row, std::size_t enc, std::size_t digest, std::size_t kind,
                             std::string_view context, const std::string& what) const;

  const identity::KeyFileCipher& cipher_;
  const identity::KeyedHasher& digests_;
  const date::time_zone& programZone_;
  DocumentRenderer renderer_;
};

}  // namespace parcours::invoices
