#pragma once
// Private files — secrets kept on disk for this user only: the encryption
// keys, the lookup and digest secrets. One place decides how they are read
// and written, so every secret gets the same guarantees:
//   - folders are created 0700, files 0600 from their first byte;
//   - a file is read only when it is a regular file that group and others
//     cannot access, and not larger than the caller's limit;
//   - a new file never overwrites one that appeared meanwhile (O_EXCL), and
//     is on disk (fsync of the file and its folder) before it is used;
//   - a replacement is atomic (a temporary file renamed over the old one).
// `what` names the file in errors ("key file", "secret file").

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace parcours::identity {

// The file's bytes, or nullopt when it does not exist. Throws
// core::Error(bad_request) for a file that is not regular, that group or
// others may access, or that holds more than maxBytes.
std::optional<std::string> readPrivateFile(const std::string& path, std::size_t maxBytes, std::string_view what);

// Creates the file with `bytes`, and its missing folders. Returns false,
// writing nothing, when the file already exists (another process may have
// just made it: read it then). Throws core::Error(internal) on I/O failure,
// leaving no partial file.
bool createPrivateFile(const std::string& path, std::string_view bytes, std::string_view what);

// Replaces the file (or creates it) with `bytes`, atomically. Throws
// core::Error(internal) on I/O failure, leaving the old file as it was.
void replacePrivateFile(const std::string& path, std::string_view bytes, std::string_view what);

}  // namespace parcours::identity
