#include "api/web_site.h"

#include <fstream>
#include <iterator>
#include <system_error>

#include "api/web_files.h"

namespace parcours::api {

namespace fs = std::filesystem;

namespace {

// Page files are small; anything larger is not one of ours.
constexpr std::uintmax_t kLargestFile = 16 * 1024 * 1024;

bool inside(const fs::path& root, const fs::path& file) {
  auto r = root.begin();
  auto f = file.begin();
  for (; r != root.end(); ++r, ++f) {
    if (f == file.end() || *r != *f) return false;
  }
  return f != file.end();
}

}  // namespace

WebSite::WebSite(fs::path root) : root_(std::move(root)) {}

WebSite::Kind WebSite::kindOf(std::string_view path) {
  if (isPageAddress(path)) return Kind::page;
  if (assetFile(path)) return Kind::asset;
  return Kind::none;
}

std::optional<std::string> WebSite::readInsideRoot(const std::string& relative) const {
  std::error_code error;
  const fs::path root = fs::canonical(root_, error);
  if (error) return std::nullopt;
  const fs::path file = fs::canonical(root / relative, error);
  if (error || !inside(root, file)) return std::nullopt;
  if (!fs::is_regular_file(file, error) || error) return std::nullopt;
  const auto size = fs::file_size(file, error);
  if (error || size > kLargestFile) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return bytes;
}

std::optional<Response> WebSite::serve(const Request& request) const {
  const Kind kind = kindOf(request.path);
  if (kind == Kind::none) return std::nullopt;
  const std::string relative = kind == Kind::page ? std::string("index.html") : *assetFile(request.path);
  auto bytes = readInsideRoot(relative);
  if (!bytes) return std::nullopt;
  const std::string contentType = contentTypeOf(relative);
  const std::string etag = strongEtag(*bytes);
  Response response;
  response.contentType = contentType;
  response.headers.emplace_back("ETag", etag);
  if (contentType.starts_with("text/html")) {
    response.headers.emplace_back("Content-Security-Policy", std::string(kPageContentSecurityPolicy));
    response.headers.emplace_back("X-Frame-Options", "DENY");
    response.headers.emplace_back("Referrer-Policy", "same-origin");
  } else {
    response.headers.emplace_back("Cache-Control", "no-cache");
  }
  if (noneMatchHits(request.header("If-None-Match"), etag)) {
    response.status = 304;
    return response;
  }
  response.body = std::move(*bytes);
  return response;
}

}  // namespace parcours::api
