#include "api/web_files.h"

#include <array>

#include "identity/token.h"

namespace parcours::api {

namespace {

bool plainName(std::string_view segment) {
  if (segment.empty() || segment.front() == '.') return false;
  for (const char c : segment) {
    const bool letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!letterOrDigit && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

bool allDigits(std::string_view text) {
  if (text.empty() || text.size() > 18) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

bool isPageAddress(std::string_view path) {
  static constexpr std::array<std::string_view, 8> kPages = {
      "/", "/week", "/participants", "/finance", "/finance/bank-lines", "/finance/reports", "/me", "/admin"};
  for (const std::string_view page : kPages) {
    if (path == page) return true;
  }
  constexpr std::string_view kParticipant = "/participants/";
  return path.starts_with(kParticipant) && allDigits(path.substr(kParticipant.size()));
}

std::optional<std::string> assetFile(std::string_view path) {
  constexpr std::string_view kAssets = "/assets/";
  if (!path.starts_with(kAssets)) return std::nullopt;
  std::string_view rest = path.substr(kAssets.size());
  if (rest.empty()) return std::nullopt;
  while (true) {
    const auto slash = rest.find('/');
    if (!plainName(rest.substr(0, slash))) return std::nullopt;
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return std::string(path.substr(1));
}

std::string contentTypeOf(std::string_view fileName) {
  struct Kind {
    std::string_view extension;
    std::string_view type;
  };
  static constexpr std::array<Kind, 13> kKinds = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  }};
  for (const Kind& kind : kKinds) {
    if (fileName.ends_with(kind.extension)) return std::string(kind.type);
  }
  return "application/octet-stream";
}

std::string strongEtag(std::string_view bytes) {
  return "\"" + identity::sha256Hex(bytes) + "\"";
}

bool noneMatchHits(std::string_view ifNoneMatch, std::string_view etag) {
  while (!ifNoneMatch.empty()) {
    const auto comma = ifNoneMatch.find(',');
    std::string_view candidate = trimmed(ifNoneMatch.substr(0, comma));
    ifNoneMatch = comma == std::string_view::npos ? std::string_view() : ifNoneMatch.substr(comma + 1);
    if (candidate == "*") return true;
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);
    if (candidate == etag) return true;
  }
  return false;
}

}  // namespace parcours::api
