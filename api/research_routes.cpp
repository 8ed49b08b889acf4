// Research routes (docs/api.md "Research and audit"; docs/research.md).
// Researchers and admins read; only admins register studies and read the
// export log. One function per route, declared with its access at the end.
#include "api/research_routes.h"

#include "api/csv_writer.h"
#include "api/json.h"
#include "api/json_writer.h"
#include "api/route_table.h"

namespace parcours::api {

using core::Error;
using core::ErrorCode;
using identity::Role;

namespace {

struct ResearchContext {
  research::ResearchService& research;
};
using Route = RouteContext<ResearchContext>;

research::StudyId studyIdOf(const Request& request) {
  return research::StudyId(idParam(request));
}

// The rows as RFC 4180 CSV, spreadsheet-safe (api/csv_writer.h).
std::string csvOf(const std::vector<research::ColumnSpec>& columns,
                  const std::vector<std::vector<research::ExportCell>>& rows) {
  CsvWriter w;
  std::vector<std::string> names;
  for (const auto& c : columns) names.push_back(c.name);
  w.header(names);
  for (const auto& cells : rows) {
    auto row = w.row();
    for (const auto& cell : cells) {
      if (cell.text) {
        row.text(*cell.text);
      } else {
        row.empty();
      }
    }
    row.end();
  }
  return w.take();
}

Response createStudy(Route& route, Request& request) {
  const auto body = request.jsonObject();
  research::StudyInput input;
  input.name = optionalString(*body, "name");
  input.purpose = optionalString(*body, "purpose");
  input.ethicsReference = optionalString(*body, "ethics_reference");
  const auto id = route.services().research.createStudy(input, auditContextOf(request));
  JsonWriter w;
  w.beginObject().field("id", id).endObject();
  return jsonResponse(201, w);
}

Response listStudies(Route& route, Request&) {
  JsonWriter w;
  w.beginObject().key("items").beginArray();
  for (const auto& s : route.services().research.studies()) {
    w.beginObject()
        .field("id", s.id)
        .field("name", s.name)
        .field("purpose", s.purpose)
        .field("ethics_reference", s.ethicsReference)
        .field("created_by", s.createdBy)
        .field("created_at", core::formatInstantUtc(s.createdAt))
        .endObject();
  }
  w.endArray().field("next_cursor", std::optional<std::string>()).endObject();
  return jsonResponse(200, w);
}

Response exportStudy(Route& route, Request& request) {
  auto result = route.services().research.exportStudy(studyIdOf(request), csvOf, auditContextOf(request));
  Response response = Response::text(200, "text/csv; charset=utf-8", std::move(result.bytes));
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"study-" + request.param("id") + ".csv\"");
  response.headers.emplace_back("X-Content-SHA256", result.sha256);
  return response;
}

Response aggregates(Route& route, Request& request) {
  const auto by = research::dimensionFromString(request.queryValue("by").value_or(""));
  if (!by) throw Error(ErrorCode::bad_request, "must be outcome, month or age_band", "by");
  const auto table = route.services().research.aggregates(studyIdOf(request), *by, auditContextOf(request));
  JsonWriter w;
  w.beginObject().field("by", table.by).field("threshold", research::kSuppressionThreshold);
  w.key("cells").beginArray();
  for (const auto& cell : table.cells) {
    w.beginObject().field("key", cell.key).field("count", cell.count).field("suppressed", cell.suppressed).endObject();
  }
  w.endArray().field("total", table.total).endObject();
  return jsonResponse(200, w);
}

Response dictionary(Route&, Request&) {
  JsonWriter w;
  w.beginObject().field("version", research::kDictionaryVersion).field("format", "text/csv; charset=utf-8");
  w.key("columns").beginArray();
  for (const auto& c : research::exportColumns()) {
    w.beginObject().field("name", c.name).field("type", c.type).field("meaning", c.meaning);
    w.key("allowed_values");
    if (c.allowedValues.empty()) {
      w.null();
    } else {
      w.beginArray();
      for (const auto& v : c.allowedValues) w.value(v);
      w.endArray();
    }
    w.endObject();
  }
  w.endArray().endObject();
  return jsonResponse(200, w);
}

Response exportLog(Route& route, Request& request) {
  const int limit = limitParam(request);
  const std::int64_t after = request.queryValue("cursor") ? cursorParam(*request.queryValue("cursor")) : 0;
  const auto entries = route.services().research.exportLog(after, limit);
  return pageResponse(
      entries, limit,
      [](JsonWriter& w, const research::ExportLogEntry& e) {
        w.beginObject()
            .field("id", std::to_string(e.id))
            .field("study_id", e.study)
            .field("study_name", e.studyName)
            .field("purpose", e.purpose)
            .field("ethics_reference", e.ethicsReference)
            .field("exported_by", e.exportedBy)
            .field("exported_at", core::formatInstantUtc(e.exportedAt))
            .field("row_count", e.rowCount)
            .field("sha256", e.sha256)
            .endObject();
      },
      [](const research::ExportLogEntry& e) { return e.id; });
}

}  // namespace

void addResearchRoutes(Router& router, AppContext& app, research::ResearchService& research) {
  const Access admin = roles({Role::admin});
  const Access readers = roles({Role::researcher, Role::admin});
  addRoutes<ResearchContext>(router, std::make_shared<ResearchContext>(ResearchContext{research}), app.access, nullptr,
                             {
                                 {"POST", "/api/v1/research/studies", createStudy, admin},
                                 {"GET", "/api/v1/research/studies", listStudies, readers},
                                 {"GET", "/api/v1/research/studies/{id}/export.csv", exportStudy, readers},
                                 {"GET", "/api/v1/research/studies/{id}/aggregates", aggregates, readers},
                                 {"GET", "/api/v1/research/dictionary", dictionary, readers},
                                 {"GET", "/api/v1/research/exports", exportLog, admin},
                             });
}

}  // namespace parcours::api
