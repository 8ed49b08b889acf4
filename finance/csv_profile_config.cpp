// genericProfilesFromJson: generic CSV profiles from configuration (see
// csv_profiles.h for the keys).
#include <set>

#include <Poco/Dynamic/Var.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "finance/csv_profiles.h"
#include "finance/statement_values.h"

namespace parcours::finance {
namespace {

constexpr int kMaxColumn = 255;

const std::set<std::string> kKnownKeys = {"name",
                                          "delimiter",
                                          "header_rows",
                                          "header",
                                          "date_column",
                                          "date_format",
                                          "decimal_mark",
                                          "encoding",
                                          "amount_column",
                                          "withdrawal_column",
                                          "deposit_column",
                                          "description_columns",
                                          "reference_column",
                                          "reference_columns",
                                          "account_column",
                                          "account_columns",
                                          "sequence_column"};

// Reads one profile object; every error names the profile and the key.
class ProfileReader {
 public:
  ProfileReader(const Poco::JSON::Object& object, std::size_t index) : object_(object), index_(index) {}

  CsvProfile read() {
    CsvProfile profile;
    profile.name = readName();
    profile.format = "generic:" + profile.name;
    for (const auto& [key, value] : object_) {
      if (!kKnownKeys.contains(key)) fail(key, "is not a known key");
    }
    profile.delimiter = readDelimiter();
    profile.headerRows = object_.has("header_rows") ? readInteger("header_rows", 0, 1000) : 0;
    if (object_.has("header")) {
      profile.expectedHeader = readStrings("header");
      if (profile.expectedHeader.empty()) fail("header", "must list the header's cells");
      if (!object_.has("header_rows")) profile.headerRows = 1;
      if (profile.headerRows < 1) fail("header_rows", "must be at least 1 when a header is given");
    }
    profile.dateColumn = readColumn("date_column");
    profile.dateFormat = readString("date_format");
    if (!isDatePattern(profile.dateFormat)) fail("date_format", "must name YYYY, MM and DD once each");
    profile.decimalMark = readDecimalMark();
    profile.encoding = readEncoding();
    readAmountColumns(profile);
    profile.descriptionColumns = readColumns("description_columns");
    if (profile.descriptionColumns.empty()) fail("description_columns", "must name at least one column");
    profile.referenceColumns = readColumnsEither("reference_column", "reference_columns");
    profile.accountColumns = readColumnsEither("account_column", "account_columns");
    if (object_.has("sequence_column")) profile.sequenceColumn = readColumn("sequence_column");
    return profile;
  }

 private:
  [[noreturn]] void fail(const std::string& key, const std::string& problem) const {
    const std::string who = name_.empty() ? "profile " + std::to_string(index_) : "profile \"" + name_ + "\"";
    throw core::Error(core::ErrorCode::bad_request, who + ": \"" + key + "\" " + problem,
                      "profiles[" + std::to_string(index_) + "]." + key);
  }

  Poco::Dynamic::Var require(const std::string& key) const {
    if (!object_.has(key)) fail(key, "is required");
    return object_.get(key);
  }

  std::string readString(const std::string& key) const {
    const Poco::Dynamic::Var value = require(key);
    if (!value.isString()) fail(key, "must be a string");
    return value.extract<std::string>();
  }

  int readInteger(const std::string& key, int low, int high) const {
    const Poco::Dynamic::Var value = require(key);
    if (!value.isInteger()) fail(key, "must be an integer");
    const long long number = value.convert<long long>();
    if (number < low || number > high) {
      fail(key, "must be between " + std::to_string(low) + " and " + std::to_string(high));
    }
    return static_cast<int>(number);
  }

  int readColumn(const std::string& key) const { return readInteger(key, 0, kMaxColumn); }

  std::vector<int> readColumns(const std::string& key) const {
    const Poco::Dynamic::Var value = require(key);
    if (value.isInteger()) return {readColumn(key)};
    const Poco::JSON::Array::Ptr array = object_.getArray(key);
    if (!array) fail(key, "must be a column number or an array of them");
    std::vector<int> columns;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
      if (!item.isInteger() || item.convert<long long>() < 0 || item.convert<long long>() > kMaxColumn) {
        fail(key, "must hold column numbers between 0 and " + std::to_string(kMaxColumn));
      }
      columns.push_back(item.convert<int>());
    }
    return columns;
  }

  std::vector<int> readColumnsEither(const std::string& one, const std::string& many) const {
    if (object_.has(one) && object_.has(many)) fail(one, "and \"" + many + "\" cannot both be given");
    if (object_.has(one)) return {readColumn(one)};
    if (object_.has(many)) return readColumns(many);
    return {};
  }

  std::vector<std::string> readStrings(const std::string& key) const {
    const Poco::JSON::Array::Ptr array = object_.isArray(key) ? object_.getArray(key) : nullptr;
    if (!array) fail(key, "must be an array of strings");
    std::vector<std::string> strings;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
      if (!item.isString()) fail(key, "must be an array of strings");
      strings.push_back(item.extract<std::string>());
    }
    return strings;
  }

  std::string readName() {
    const Poco::Dynamic::Var value = require("name");
    if (!value.isString()) fail("name", "must be a string");
    const std::string name = value.extract<std::string>();
    const bool wellFormed =
        !name.empty() && name.size() <= 64 &&
        name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == std::string::npos;
    if (!wellFormed) fail("name", "must be 1 to 64 letters, digits, '-' or '_'");
    if (name == "desjardins" || name == "rbc") fail("name", "is the name of a built-in profile");
    name_ = name;
    return name;
  }

  char readDelimiter() const {
    if (!object_.has("delimiter")) return ',';
    const std::string text = readString("delimiter");
    if (text != "," && text != ";" && text != "\t") fail("delimiter", "must be \",\", \";\" or a tab");
    return text[0];
  }

  char readDecimalMark() const {
    if (!object_.has("decimal_mark")) return '.';
    const std::string text = readString("decimal_mark");
    if (text != "." && text != ",") fail("decimal_mark", "must be \".\" or \",\"");
    return text[0];
  }

  CsvEncoding readEncoding() const {
    if (!object_.has("encoding")) return CsvEncoding::automatic;
    const std::string text = readString("encoding");
    if (text == "utf-8" || text == "utf8") return CsvEncoding::utf8;
    if (text == "windows-1252" || text == "cp1252") return CsvEncoding::windows1252;
    if (text == "auto") return CsvEncoding::automatic;
    fail("encoding", "must be \"utf-8\", \"windows-1252\" or \"auto\"");
  }

  void readAmountColumns(CsvProfile& profile) const {
    const bool signedColumn = object_.has("amount_column");
    const bool split = object_.has("withdrawal_column") || object_.has("deposit_column");
    if (signedColumn == split) {
      fail("amount_column", "or else both \"withdrawal_column\" and \"deposit_column\" must be given");
    }
    if (signedColumn) {
      profile.amountColumn = readColumn("amount_column");
      return;
    }
    profile.withdrawalColumn = readColumn("withdrawal_column");
    profile.depositColumn = readColumn("deposit_column");
  }

  const Poco::JSON::Object& object_;
  std::size_t index_;
  std::string name_;
};

Poco::JSON::Array::Ptr profilesArray(std::string_view json) {
  Poco::Dynamic::Var root;
  try {
    root = Poco::JSON::Parser().parse(std::string(json));
  } catch (const Poco::Exception& error) {
    throw core::Error(core::ErrorCode::bad_request, "the CSV profiles are not JSON: " + error.message(), "profiles");
  }
  const auto object =
      root.type() == typeid(Poco::JSON::Object::Ptr) ? root.extract<Poco::JSON::Object::Ptr>() : nullptr;
  const Poco::JSON::Array::Ptr array = object && object->isArray("profiles") ? object->getArray("profiles") : nullptr;
  if (!array) throw core::Error(core::ErrorCode::bad_request, "the CSV profiles need a \"profiles\" array", "profiles");
  return array;
}

}  // namespace

std::vector<CsvProfile> genericProfilesFromJson(std::string_view json) {
  const Poco::JSON::Array::Ptr array = profilesArray(json);
  std::vector<CsvProfile> profiles;
  std::set<std::string> names;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const Poco::JSON::Object::Ptr object = array->getObject(static_cast<unsigned>(i));
    if (!object) {
      throw core::Error(core::ErrorCode::bad_request, "profile " + std::to_string(i) + " is not an object",
                        "profiles[" + std::to_string(i) + "]");
    }
    CsvProfile profile = ProfileReader(*object, i).read();
    if (!names.insert(profile.name).second) {
      throw core::Error(core::ErrorCode::bad_request, "profile \"" + profile.name + "\": \"name\" is given twice",
                        "profiles[" + std::to_string(i) + "].name");
    }
    profiles.push_back(std::move(profile));
  }
  return profiles;
}

}  // namespace parcours::finance
