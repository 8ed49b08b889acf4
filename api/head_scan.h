#pragma once
// Where a request head ends, read from bytes that have arrived but are not
// consumed yet (the server peeks at the socket): a worker thread is given a
// connection only once its whole head is there.

#include <cstddef>
#include <optional>
#include <string_view>

namespace parcours::api {

// The offset just past the blank line that ends the head in `bytes`, or
// nullopt while it is incomplete. Blank lines before the request line are
// skipped (RFC 9112 §2.2), and a bare LF ends a line as CRLF does.
std::optional<std::size_t> headEnd(std::string_view bytes);

// Whether `bytes` hold nothing but the blank lines a client may send
// between requests.
bool onlyBlankLines(std::string_view bytes);

}  // namespace parcours::api
