#pragma once
// The pages' files: which addresses serve the page shell, which name a file
// under the web root, and how such a file is labelled and validated. Pure
// rules, no I/O (api/web_site.h reads the disk).
//   - page addresses (docs/api.md "Pages") all answer the one shell,
//     web/index.html; the page script picks what to show;
//   - `/assets/...` names a file under web/assets only when every segment is
//     a plain name: letters, digits, '-', '_' and '.', not starting with a
//     dot. So "..", hidden files, backslashes, empty segments and anything
//     percent-decoded into those are refused (404) before the disk is asked;
//   - ETags are strong: the SHA-256 of the bytes.

#include <optional>
#include <string>
#include <string_view>

namespace parcours::api {

// Every HTML answer carries this policy: nothing from another host, no inline
// script, no inline style but ONE — the hash is that of the empty text, so
// only an empty <style> element is allowed: FullCalendar 6 creates one and
// fills it through the CSSOM (insertRule, which no policy governs; only a
// script we serve can call it). Its icon font is a data: URI. No framing.
inline constexpr std::string_view kPageContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='; "
    "font-src 'self' data:; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'";

// Whether `path` (decoded, no query) is a page address that answers the shell.
bool isPageAddress(std::string_view path);

// The file `path` names relative to the web root ("assets/app.js"), when it
// is under /assets/ and every segment is a plain name; nullopt otherwise.
std::optional<std::string> assetFile(std::string_view path);

// The Content-Type of a file by its extension; application/octet-stream
// for one we do not know.
std::string contentTypeOf(std::string_view fileName);

// A strong entity tag for `bytes`, quotes included.
std::string strongEtag(std::string_view bytes);

// Whether an If-None-Match header value names `etag` (or is "*"). Weak
// comparison, as RFC 9110 asks for If-None-Match: a W/ prefix is ignored.
bool noneMatchHits(std::string_view ifNoneMatch, std::string_view etag);

}  // namespace parcours::api
