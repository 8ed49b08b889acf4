#include "api/router.h"

#include <stdexcept>

namespace parcours::api {

namespace {
std::vector<std::string_view> splitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    if (end > start) parts.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}
}  // namespace

Router::Compiled Router::compile(std::string_view pattern) {
  Compiled compiled;
  for (const std::string_view part : splitPath(pattern)) {
    Segment segment;
    if (part.starts_with('{')) {
      const auto close = part.find('}');
      if (close == std::string_view::npos) throw std::logic_error("bad route pattern");
      segment.param = std::string(part.substr(1, close - 1));
      segment.literal = std::string(part.substr(close + 1));
    } else {
      segment.literal = std::string(part);
    }
    compiled.segments.push_back(std::move(segment));
  }
  return compiled;
}

void Router::add(std::string method, std::string pattern, Handler handler, Guard guard) {
  for (const Route& r : routes_) {
    if (r.method == method && r.pattern == pattern) throw std::logic_error("duplicate route " + pattern);
  }
  compiled_.push_back(compile(pattern));
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler), std::move(guard)});
}

bool Router::matches(const Compiled& compiled, const std::vector<std::string_view>& parts,
                     std::map<std::string, std::string>& params) {
  if (compiled.segments.size() != parts.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Segment& s = compiled.segments[i];
    const std::string_view part = parts[i];
    if (s.param.empty()) {
      if (part != s.literal) return false;
      continue;
    }
    if (part.size() <= s.literal.size() || !part.ends_with(s.literal)) return false;
    params[s.param] = std::string(part.substr(0, part.size() - s.literal.size()));
  }
  return true;
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  const auto parts = splitPath(path);
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    std::map<std::string, std::string> params;
    if (!matches(compiled_[i], parts, params)) continue;
    if (routes_[i].method == method) {
      // A literal route beats a parameter route registered earlier only if
      // registered first; register literal paths before parameter ones.
      result.route = &routes_[i];
      result.params = std::move(params);
      result.pattern = routes_[i].pattern;
      return result;
    }
    result.allowedMethods.push_back(routes_[i].method);
    if (result.pattern.empty()) result.pattern = routes_[i].pattern;
  }
  return result;
}

}  // namespace parcours::api
