#pragma once
// RetentionStore — the SQL of retention: the closed files not yet
// anonymised, and the erasure of one file's personal data across the tables
// that hold it. Every table with personal data tied to a participant is
// named here, in one place, so what retention erases can be read (and
// checked) in one file:
//
//   participants   names, contact details, address and prosecutor reference
//                  erased, birth date cut to its year, eligibility notes and
//                  withdrawal reason erased; person_key kept (the
//                  one-participation rule outlives the file); anonymised_at set
//   sessions       cancellation reasons erased
//   payments       references erased (amounts, dates, methods, numbers kept)
//   refunds        reasons erased
//   documents      content rewritten with the code in place of the name,
//                  without address or free text (retention/document_redaction.h)
//   document_pdfs  the stored PDF destroyed (the row stays as a tombstone,
//                  so no start-up step renders it again)
//   email_outbox   the participant's e-mails (recipient address) deleted
//   users          the participant's sign-in: e-mail and name erased,
//                  disabled, tokens revoked
//   bank_lines     the payer's account, description and reference of the
//                  lines that settled their payments erased
//   payer_aliases  the learned payer names of the participant deleted
//
// An erased NOT NULL encrypted column holds the encryption of the empty
// string (key rotation re-encrypts it like any other value); a nullable one
// holds NULL.

#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "identity/key_file_cipher.h"
#include "identity/keyed_hash.h"
#include "retention/retention_rules.h"
#include "storage/database.h"

namespace parcours::retention {

class RetentionStore {
 public:
  // REQUIRES: cipher and digests (the document digest key) outlive the store.
  RetentionStore(const identity::KeyFileCipher& cipher, const identity::KeyedHasher& digests)
      : cipher_(cipher), digests_(digests) {}

  // Files with a final status not anonymised yet, by id.
  std::vector<FileClosure> closedFiles(storage::Transaction& tx) const;

  // Erases `file`'s personal data (the list above) inside `tx`. Locks the
  // participant's row first and does nothing when the file is already
  // anonymised: returns false then, true when it anonymised it now.
  bool anonymise(storage::Transaction& tx, const ClosedFile& file, core::Instant now) const;

 private:
  bool claim(storage::Transaction& tx, const ClosedFile& file, core::Instant now) const;
  void eraseParticipantFields(storage::Transaction& tx, const ClosedFile& file) const;
  void eraseSchedulingAndPayments(storage::Transaction& tx, const ClosedFile& file) const;
  void redactDocuments(storage::Transaction& tx, const ClosedFile& file) const;
  void eraseSignIn(storage::Transaction& tx, const ClosedFile& file, core::Instant now) const;
  void eraseBankDetails(storage::Transaction& tx, const ClosedFile& file) const;
  storage::Blob erased(const char* context, std::int64_t rowId) const;

  const identity::KeyFileCipher& cipher_;
  const identity::KeyedHasher& digests_;
};

}  // namespace parcours::retention
