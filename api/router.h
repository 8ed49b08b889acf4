#pragma once
// Router — method + path pattern → handler. Patterns are split on '/'; a
// segment is a literal ("participants"), a parameter ("{id}") or a
// parameter with a literal suffix ("{number}.pdf"). A path that matches some
// pattern with another method gives the allowed methods (for 405 + Allow).

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_message.h"

namespace parcours::api {

using Handler = std::function<Response(Request&)>;
// Runs before the handler and throws core::Error to refuse (authentication,
// access rules). Declared once per route.
using Guard = std::function<void(Request&)>;

struct Route {
  std::string method;
  std::string pattern;  // also the route's name in logs and metrics
  Handler handler;
  Guard guard;  // may be empty: no restriction
};

class Router {
 public:
  // REQUIRES: no other route with the same method and pattern.
  void add(std::string method, std::string pattern, Handler handler, Guard guard = {});

  struct Match {
    const Route* route = nullptr;  // null when nothing matched this method
    std::map<std::string, std::string> params;
    std::vector<std::string> allowedMethods;  // when the path matched other methods
    std::string pattern;                      // the matched pattern (also when only other methods match)
  };
  Match match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  struct Segment {
    std::string literal;  // the literal, or the suffix after a parameter
    std::string param;    // non-empty for a parameter segment
  };
  struct Compiled {
    std::vector<Segment> segments;
  };
  static Compiled compile(std::string_view pattern);
  static bool matches(const Compiled& compiled, const std::vector<std::string_view>& parts,
                      std::map<std::string, std::string>& params);

  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace parcours::api
