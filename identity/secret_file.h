#pragma once
// A 32-byte secret kept in its own file (hex, mode 0600), created on first
// use. Used for the keyed hash that finds people and e-mails: unlike the
// encryption keys it never rotates, since every stored lookup hash depends
// on it.

#include <string>

namespace parcours::identity {

// Returns the 32 raw bytes; creates the file (and its folder) when missing.
// Throws core::Error(bad_request) when the file is malformed or readable by
// group or others.
std::string loadOrCreateSecret(const std::string& path);

}  // namespace parcours::identity
