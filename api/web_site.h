#pragma once
// WebSite — the pages' files, read from a folder on disk (setting
// `http.web_root`) at each request: page addresses answer index.html, the
// page shell; /assets/... answer the file of that name (api/web_files.h says
// which names are acceptable). Served outside the route table: the
// dispatcher asks the site only for GET and HEAD of a path no route matches.
//   - HTML: Content-Security-Policy (api/web_files.h), Cache-Control: no-store;
//   - assets: Cache-Control: no-cache (revalidated with their strong ETag at
//     each use, so a new version is never hidden by a cache; they hold no
//     personal data, so a shared cache may keep them);
//   - If-None-Match naming the current ETag → 304 without a body;
//   - a file must resolve (symbolic links followed) to a regular file inside
//     the root; anything else is 404, and folders are never listed.

#include <filesystem>
#include <optional>
#include <string_view>

#include "api/http_message.h"

namespace parcours::api {

class WebSite {
 public:
  explicit WebSite(std::filesystem::path root);

  enum class Kind { none, page, asset };
  // What `path` addresses: the shell, a file under /assets/, or nothing of ours.
  static Kind kindOf(std::string_view path);

  // The answer for a GET or HEAD of `request.path`; nullopt when the path
  // names no page and no readable file under the root (the caller says 404).
  std::optional<Response> serve(const Request& request) const;

  const std::filesystem::path& root() const noexcept { return root_; }

 private:
  std::optional<std::string> readInsideRoot(const std::string& relative) const;

  std::filesystem::path root_;
};

}  // namespace parcours::api
