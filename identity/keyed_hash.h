#pragma once
// Finding "the same person" without storing names in clear: a keyed hash
// (HMAC-SHA256) of the normalised name and the birth date. Equal for spelling
// variants of accents, case, hyphens and spacing; useless without the key.

#include <string>
#include <string_view>

namespace parcours::identity {

// Folds a name for matching: Latin letters lose their diacritics (é → e,
// ł → l, ễ → e; œ → oe, æ → ae, ß → ss, þ → th), ASCII is lower-cased,
// other letters are lower-cased by Unicode's simple case mapping, combining
// marks and zero-width characters are dropped, and every run of whitespace,
// hyphens, dashes, apostrophes (' ’ ‘ ʼ `) and dots becomes one space, with
// none at either end. "  Éloïse   CÔTÉ-Tremblay " → "eloise cote tremblay".
// Throws core::Error(bad_request) for invalid UTF-8 (overlong forms,
// surrogates, truncated sequences, code points above U+10FFFF).
std::string normalizeForMatching(std::string_view utf8);

class KeyedHasher {
 public:
  // REQUIRES: a 32-byte secret key, not one of the field-encryption keys
  // (it must not change when those rotate, or earlier hashes stop matching).
  // Throws core::Error(bad_request) for another length.
  explicit KeyedHasher(std::string key);
  KeyedHasher(const KeyedHasher&) = default;
  KeyedHasher& operator=(const KeyedHasher&) = default;
  ~KeyedHasher();

  // Lower-case hex HMAC-SHA256 of `message` (64 characters).
  std::string hash(std::string_view message) const;

 private:
  std::string key_;
};

// hash(normalize(given) + "\x1f" + normalize(family) + "\x1f" + birthDate).
// Throws core::Error(bad_request, …, "birth_date") unless `birthDate` has the
// shape YYYY-MM-DD, and as normalizeForMatching for invalid UTF-8.
std::string personLookupKey(const KeyedHasher& hasher, std::string_view givenName, std::string_view familyName,
                            std::string_view birthDate);

}  // namespace parcours::identity
