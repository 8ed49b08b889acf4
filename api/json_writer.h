#pragma once
// JsonWriter — writes a JSON document straight into a string, for responses
// on hot paths (lists, bookings). Poco::JSON builds a tree of type-erased
// values, copies objects added by value and stringifies through an ostream;
// measured on GET /closures, that was a fifth of the request's cost.
//
//   JsonWriter w;
//   w.beginObject().key("items").beginArray();
//   for (...) w.beginObject().field("date", d).field("n", 3).endObject();
//   w.endArray().endObject();
//   return Response::json(200, w.take());
//
// Separators are placed by the writer; the caller keeps begin/end balanced.
// Strings must be UTF-8 (everything Parcours stores is); control characters,
// quotes and backslashes are escaped.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http_message.h"
#include "core/id.h"

namespace parcours::api {

class JsonWriter {
 public:
  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(std::int64_t number);
  JsonWriter& value(int number) { return value(static_cast<std::int64_t>(number)); }
  JsonWriter& value(bool flag);
  // An id, shown to clients as a decimal string.
  template <class Tag>
  JsonWriter& value(core::Id<Tag> id) {
    return value(id.toString());
  }
  JsonWriter& null();
  // "next_cursor" of a list page: the last id when the page is full (more
  // may follow), else null.
  JsonWriter& nextCursor(bool pageFull, std::int64_t lastId);
  // Already-serialised JSON (a nested document), written as is.
  JsonWriter& raw(std::string_view json);

  template <class T>
  JsonWriter& field(std::string_view name, const T& v) {
    key(name);
    return value(v);
  }
  // null when empty
  template <class T>
  JsonWriter& field(std::string_view name, const std::optional<T>& v) {
    key(name);
    return v ? value(*v) : null();
  }

  // `format(*v)` when set, else null: field("at", at, core::formatInstantUtc).
  template <class T, class Format>
  JsonWriter& field(std::string_view name, const std::optional<T>& v, Format&& format) {
    key(name);
    return v ? value(format(*v)) : null();
  }

  std::string take() { return std::move(out_); }

 private:
  void separate();
  void quoted(std::string_view text);

  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool afterKey_ = false;
};

// The route responses of a JSON document written by `writer` (taken).
inline Response jsonResponse(int status, JsonWriter& writer) {
  return Response::json(status, writer.take());
}

// 200 with {"status": "<status>"} (signed out, revoked, ok, ...).
inline Response statusResponse(std::string_view status) {
  JsonWriter w;
  w.beginObject().field("status", status).endObject();
  return jsonResponse(200, w);
}

// 200 with a list page {"items": [...], "next_cursor": "<last id>" | null}:
// `writeItem(writer, item)` writes each item as one value; a full page
// (limit items) points at `idOf(last item)`, a shorter one ends the list.
template <class Item, class WriteItem, class IdOf>
Response pageResponse(const std::vector<Item>& items, int limit, WriteItem&& writeItem, IdOf&& idOf) {
  JsonWriter w;
  w.beginObject().key("items").beginArray();
  for (const Item& item : items) writeItem(w, item);
  w.endArray();
  const bool full = limit > 0 && static_cast<int>(items.size()) == limit;
  w.nextCursor(full, items.empty() ? 0 : idOf(items.back()));
  w.endObject();
  return jsonResponse(200, w);
}

}  // namespace parcours::api
