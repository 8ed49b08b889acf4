#include "finance/bank_line_store.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "storage/filters.h"

namespace parcours::finance {

using core::BankLineId;
using core::PaymentId;
using storage::id;

namespace {

constexpr const char* kDetailsContext = "bank_lines.details";
constexpr const char* kLineColumns =
    "SELECT id, statement_id, booked_on, amount_cents, details_enc, status, rule, matched_by, matched_at, deposit_id,"
    " recorded_payment_id, ignore_kind, candidates FROM bank_lines";

std::string detailsToJson(const BankLineDetails& d) {
  Poco::JSON::Object object;
  object.set("account", d.account);
  object.set("description", d.description);
  object.set("reference", d.reference);
  if (d.bankId) object.set("bank_id", *d.bankId);
  object.set("sequence", d.sequence);
  if (d.note) object.set("note", *d.note);
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

BankLineDetails detailsFromJson(const std::string& json) {
  Poco::JSON::Parser parser;
  const auto object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
  BankLineDetails d;
  d.account = object->optValue<std::string>("account", "");
  d.description = object->optValue<std::string>("description", "");
  d.reference = object->optValue<std::string>("reference", "");
  if (object->has("bank_id")) d.bankId = object->getValue<std::string>("bank_id");
  d.sequence = object->optValue<std::string>("sequence", "");
  if (object->has("note")) d.note = object->getValue<std::string>("note");
  return d;
}

storage::Value optionalText(const std::optional<std::string>& text) {
  return text ? storage::Value(*text) : storage::Value(storage::Null{});
}

storage::Value ruleValue(const std::optional<MatchRule>& rule) {
  return rule ? storage::Value(std::string(toString(*rule))) : storage::Value(storage::Null{});
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  for (const char c : text) {
    if (c == separator) {
      parts.push_back(std::move(part));
      part.clear();
    } else {
      part.push_back(c);
    }
  }
  parts.push_back(std::move(part));
  return parts;
}

}  // namespace

// One candidate per line: rule|payment ids (comma)|deposit|participant|seq|reason.
std::string candidatesToText(const std::vector<Candidate>& candidates) {
  std::string text;
  for (const auto& c : candidates) {
    text += toString(c.rule);
    text += '|';
    for (std::size_t i = 0; i < c.payments.size(); ++i) text += (i ? "," : "") + c.payments[i].toString();
    text += '|' + (c.deposit ? c.deposit->toString() : "") + '|' + (c.participant ? c.participant->toString() : "");
    text += '|' + (c.installmentSeq ? std::to_string(*c.installmentSeq) : "") + '|' + c.reason + '\n';
  }
  return text;
}

std::vector<Candidate> candidatesFromText(std::string_view text) {
  std::vector<Candidate> all;
  for (const auto& line : split(text, '\n')) {
    const auto fields = split(line, '|');
    if (fields.size() != 6) continue;
    Candidate c;
    c.rule = matchRuleFromString(fields[0]).value_or(MatchRule::manual);
    if (!fields[1].empty()) {
      for (const auto& p : split(fields[1], ',')) c.payments.emplace_back(std::stoll(p));
    }
    if (!fields[2].empty()) c.deposit = core::DepositId(std::stoll(fields[2]));
    if (!fields[3].empty()) c.participant = core::ParticipantId(std::stoll(fields[3]));
    if (!fields[4].empty()) c.installmentSeq = std::stoi(fields[4]);
    c.reason = fields[5];
    all.push_back(std::move(c));
  }
  return all;
}

void BankLineStore::lockImports(storage::Transaction& tx) const {
  tx.execute("UPDATE finance_locks SET version = version + 1 WHERE name = 'import'");
}

std::int64_t BankLineStore::lastLineId(storage::Transaction& tx) const {
  return tx.query("SELECT COALESCE(MAX(id), 0) FROM bank_lines").at(0).int64(0);
}

std::set<std::string> BankLineStore::existingKeys(storage::Transaction& tx,
                                                  const std::vector<std::string>& keys) const {
  std::set<std::string> found;
  storage::queryInBatches(tx, "SELECT line_key FROM bank_lines WHERE line_key IN (",
                          std::vector<storage::Value>(keys.begin(), keys.end()), "",
                          [&](const storage::Row& row) { found.insert(row.text(0)); });
  return found;
}

core::StatementId BankLineStore::insertStatement(storage::Transaction& tx, const std::string& format, int lines,
                                                 int newLines, core::Instant at,
                                                 std::optional<core::UserId> by) const {
  return tx
      .query("INSERT INTO bank_statements (format, line_count, new_count, imported_at, imported_by)"
             " VALUES (?, ?, ?, ?, ?) RETURNING id",
             {format, std::int64_t{lines}, std::int64_t{newLines}, at, storage::optional(by)})
      .at(0)
      .id<core::StatementTag>(0);
}

namespace {

constexpr std::size_t kRowsPerInsert = 50;

// "INSERT INTO … VALUES (?, …), (?, …)…" for `rows` rows of `columns` values.
std::string multiRowInsert(std::string_view head, std::size_t columns, std::size_t rows) {
  std::string row = "(";
  for (std::size_t c = 0; c < columns; ++c) row += c == 0 ? "?" : ", ?";
  row += ")";
  std::string sql(head);
  for (std::size_t r = 0; r < rows; ++r) sql += (r == 0 ? " VALUES " : ", ") + row;
  return sql;
}

// Runs `head` over `rows` (each a full row of values), kRowsPerInsert at a time.
void insertRows(storage::Transaction& tx, std::string_view head, std::size_t columns,
                const std::vector<storage::Params>& rows) {
  for (std::size_t at = 0; at < rows.size(); at += kRowsPerInsert) {
    const std::size_t n = std::min(kRowsPerInsert, rows.size() - at);
    storage::Params params;
    params.reserve(n * columns);
    for (std::size_t r = at; r < at + n; ++r) params.insert(params.end(), rows[r].begin(), rows[r].end());
    tx.execute(multiRowInsert(head, columns, n), params);
  }
}

}  // namespace

void BankLineStore::insertLines(storage::Transaction& tx, const std::vector<NewLine>& lines, core::Instant at) const {
  std::vector<storage::Params> rows, links, events;
  rows.reserve(lines.size());
  for (const auto& [l, key] : lines) {
    rows.push_back({id(l.id), id(l.statementId), key, l.bookedOn, l.amountCents,
                    storage::Blob{cipher_.encrypt(detailsToJson(l.details), kDetailsContext, l.id.value())},
                    std::string(toString(l.status)), ruleValue(l.rule), storage::optional(l.matchedBy),
                    l.matchedAt ? storage::Value(*l.matchedAt) : storage::Value(storage::Null{}),
                    storage::optional(l.deposit), storage::optional(l.recordedPayment), candidatesToText(l.candidates),
                    std::int64_t{0}, at});
    for (const auto p : l.payments) links.push_back({id(l.id), id(p)});
    if (l.status == LineStatus::matched) {
      events.push_back({id(l.id), std::string("match"), ruleValue(l.rule), storage::optional(l.matchedBy), at,
                        std::string("auto")});
    }
  }
  insertRows(tx,
             "INSERT INTO bank_lines (id, statement_id, line_key, booked_on, amount_cents, details_enc, status, rule,"
             " matched_by, matched_at, deposit_id, recorded_payment_id, candidates, version, created_at)",
             15, rows);
  insertRows(tx, "INSERT INTO bank_line_payments (line_id, payment_id)", 2, links);
  insertRows(tx, "INSERT INTO bank_line_events (line_id, action, rule, actor, at, detail)", 6, events);
}

bool BankLineStore::lockLine(storage::Transaction& tx, BankLineId line) const {
  return tx.execute("UPDATE bank_lines SET version = version + 1 WHERE id = ?", {id(line)}) > 0;
}

BankLineRecord BankLineStore::fromRow(storage::Transaction& tx, const storage::Row& row) const {
  BankLineRecord l;
  l.id = row.id<core::BankLineTag>(0);
  l.statementId = row.id<core::StatementTag>(1);
  l.bookedOn = row.date(2);
  l.amountCents = row.int64(3);
  l.details = detailsFromJson(cipher_.decrypt(row.blob(4), kDetailsContext, l.id.value()));
  l.status = lineStatusFromString(row.text(5)).value_or(LineStatus::unmatched);
  if (const auto rule = row.optText(6)) l.rule = matchRuleFromString(*rule);
  if (const auto by = row.optInt64(7)) l.matchedBy = core::UserId(*by);
  l.matchedAt = row.optInstant(8);
  if (const auto deposit = row.optInt64(9)) l.deposit = core::DepositId(*deposit);
  if (const auto payment = row.optInt64(10)) l.recordedPayment = PaymentId(*payment);
  l.ignoreKind = row.optText(11);
  l.candidates = candidatesFromText(row.text(12));
  for (const auto& p : tx.query("SELECT payment_id FROM bank_line_payments WHERE line_id = ? ORDER BY payment_id",
                                {id(l.id)})) {
    l.payments.push_back(p.id<core::PaymentTag>(0));
  }
  return l;
}

std::optional<BankLineRecord> BankLineStore::find(storage::Transaction& tx, BankLineId line) const {
  const auto row = tx.queryOne(std::string(kLineColumns) + " WHERE id = ?", {id(line)});
  if (!row) return std::nullopt;
  return fromRow(tx, *row);
}

std::vector<BankLineRecord> BankLineStore::list(storage::Transaction& tx, const BankLineFilter& f) const {
  storage::Filters where;
  where.add("status", "=", f.status ? storage::Value(std::string(toString(*f.status))) : storage::Value(storage::Null{}))
      .add("booked_on", ">=", storage::optional(f.from))
      .add("booked_on", "<=", storage::optional(f.to));
  storage::Params params{id(f.afterId)};
  params.insert(params.end(), where.params().begin(), where.params().end());
  params.push_back(std::int64_t{f.limit});
  std::vector<BankLineRecord> all;
  for (const auto& row :
       tx.query(std::string(kLineColumns) + " WHERE id > ? AND " + where.sql() + " ORDER BY id LIMIT ?", params)) {
    all.push_back(fromRow(tx, row));
  }
  return all;
}

void BankLineStore::setState(storage::Transaction& tx, BankLineId line, const LineMatchState& s) const {
  tx.execute(
      "UPDATE bank_lines SET status = ?, rule = ?, matched_by = ?, matched_at = ?, deposit_id = ?, ignore_kind = ?,"
      " candidates = ? WHERE id = ?",
      {std::string(toString(s.status)), ruleValue(s.rule), storage::optional(s.by),
       s.at ? storage::Value(*s.at) : storage::Value(storage::Null{}), storage::optional(s.deposit),
       optionalText(s.ignoreKind), candidatesToText(s.candidates), id(line)});
}

void BankLineStore::setRecordedPayment(storage::Transaction& tx, BankLineId line, PaymentId payment) const {
  tx.execute("UPDATE bank_lines SET recorded_payment_id = ? WHERE id = ?", {id(payment), id(line)});
}

void BankLineStore::sealDetails(storage::Transaction& tx, BankLineId line, const BankLineDetails& details) const {
  tx.execute("UPDATE bank_lines SET details_enc = ? WHERE id = ?",
             {storage::Blob{cipher_.encrypt(detailsToJson(details), kDetailsContext, line.value())}, id(line)});
}

void BankLineStore::linkPayments(storage::Transaction& tx, BankLineId line,
                                 const std::vector<PaymentId>& payments) const {
  for (const auto p : payments) {
    tx.execute("INSERT INTO bank_line_payments (line_id, payment_id) VALUES (?, ?)", {id(line), id(p)});
  }
}

void BankLineStore::unlinkPayments(storage::Transaction& tx, BankLineId line) const {
  tx.execute("DELETE FROM bank_line_payments WHERE line_id = ?", {id(line)});
}

std::optional<BankLineId> BankLineStore::lineOfPayment(storage::Transaction& tx, PaymentId payment) const {
  const auto row = tx.queryOne("SELECT line_id FROM bank_line_payments WHERE payment_id = ?", {id(payment)});
  if (!row) return std::nullopt;
  return row->id<core::BankLineTag>(0);
}

std::optional<BankLineId> BankLineStore::lineOfDeposit(storage::Transaction& tx, core::DepositId deposit) const {
  const auto row = tx.queryOne("SELECT id FROM bank_lines WHERE deposit_id = ?", {id(deposit)});
  if (!row) return std::nullopt;
  return row->id<core::BankLineTag>(0);
}

void BankLineStore::addEvent(storage::Transaction& tx, BankLineId line, const std::string& action,
                             std::optional<MatchRule> rule, std::optional<core::UserId> actor, core::Instant at,
                             const std::string& detail) const {
  tx.execute("INSERT INTO bank_line_events (line_id, action, rule, actor, at, detail) VALUES (?, ?, ?, ?, ?, ?)",
             {id(line), action, ruleValue(rule), storage::optional(actor), at, detail});
}

std::int64_t BankLineStore::countOpen(storage::Transaction& tx, core::LocalDate from, core::LocalDate to) const {
  return tx
      .query("SELECT COUNT(*) FROM bank_lines WHERE booked_on >= ? AND booked_on <= ?"
             " AND status IN ('unmatched', 'proposed')",
             {from, to})
      .at(0)
      .int64(0);
}

void BankLineStore::learnAlias(storage::Transaction& tx, const std::string& aliasKey, core::ParticipantId participant,
                               core::Instant at) const {
  const char* sql = tx.dialect() == storage::Dialect::sqlite
                        ? "INSERT OR IGNORE INTO payer_aliases (alias_key, participant_id, learned_at) VALUES (?, ?, ?)"
                        : "INSERT IGNORE INTO payer_aliases (alias_key, participant_id, learned_at) VALUES (?, ?, ?)";
  tx.execute(sql, {aliasKey, id(participant), at});
}

}  // namespace parcours::finance
