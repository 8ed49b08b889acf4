#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

#include "api/web_site.h"

using parcours::api::Request;
using parcours::api::Response;
using parcours::api::WebSite;
namespace fs = std::filesystem;

namespace {

struct Folder {
  fs::path path;
  Folder() {
    path = fs::temp_directory_path() / ("parcours-web-" + std::to_string(std::random_device{}()));
    fs::create_directories(path / "web" / "assets" / "sub");
  }
  ~Folder() { fs::remove_all(path); }
  void write(const fs::path& relative, const std::string& text) const {
    std::ofstream(path / relative, std::ios::binary) << text;
  }
};

std::optional<Response> get(const WebSite& site, const std::string& path) {
  Request request;
  request.method = "GET";
  request.path = path;
  return site.serve(request);
}

std::string header(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return {};
}

}  // namespace

TEST_CASE("the site serves the shell for pages and files under assets", "[pages]") {
  Folder folder;
  folder.write("web/index.html", "<!doctype html><title>x</title>");
  folder.write("web/assets/app.js", "export {};");
  folder.write("web/assets/sub/b.css", "a{}");
  const WebSite site(folder.path / "web");

  const auto shell = get(site, "/participants/7");
  REQUIRE(shell);
  CHECK(shell->status == 200);
  CHECK(shell->contentType == "text/html; charset=utf-8");
  CHECK(shell->body == "<!doctype html><title>x</title>");
  CHECK(header(*shell, "Content-Security-Policy").find("script-src 'self'") != std::string::npos);
  CHECK(header(*shell, "Cache-Control").empty());  // the dispatcher's no-store stays

  const auto script = get(site, "/assets/app.js");
  REQUIRE(script);
  CHECK(script->contentType == "text/javascript; charset=utf-8");
  CHECK(header(*script, "Cache-Control") == "no-cache");
  CHECK(header(*script, "ETag").size() == 66);
  CHECK(header(*script, "Content-Security-Policy").empty());
  CHECK(get(site, "/assets/sub/b.css"));
}

TEST_CASE("the site refuses folders, missing files and links that leave the root", "[pages]") {
  Folder folder;
  folder.write("web/index.html", "shell");
  folder.write("secret.txt", "not for the web");
  fs::create_symlink(folder.path / "secret.txt", folder.path / "web" / "assets" / "leak.txt");
  fs::create_directory_symlink(folder.path, folder.path / "web" / "assets" / "up");
  const WebSite site(folder.path / "web");

  CHECK_FALSE(get(site, "/assets/sub"));
  CHECK_FALSE(get(site, "/assets/missing.js"));
  CHECK_FALSE(get(site, "/assets/leak.txt"));
  CHECK_FALSE(get(site, "/assets/up/secret.txt"));
  CHECK_FALSE(get(site, "/assets/../secret.txt"));
  CHECK_FALSE(get(site, "/secret.txt"));
  CHECK_FALSE(get(site, "/index.html"));
}

TEST_CASE("without its folder the site answers nothing", "[pages]") {
  const WebSite site("/nonexistent/parcours-web");
  CHECK_FALSE(get(site, "/"));
  CHECK_FALSE(get(site, "/assets/app.js"));
}
