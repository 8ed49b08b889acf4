#include <catch2/catch.hpp>

#include "core/error.h"
#include "finance/csv_profiles.h"

using namespace parcours::finance;
using Catch::Matchers::Contains;
using parcours::core::Error;
using parcours::core::ErrorCode;

namespace {

std::string withProfile(const std::string& members) {
  return R"({"profiles":[{"name":"caisse-x","date_column":0,"date_format":"DD/MM/YYYY",)" + members + "}]}";
}

// The configuration error's message, or "" when it was accepted.
std::string configurationError(const std::string& json) {
  try {
    genericProfilesFromJson(json);
  } catch (const Error& error) {
    CHECK(error.code() == ErrorCode::bad_request);
    return error.what();
  }
  return {};
}

}  // namespace

TEST_CASE("a full generic profile reads every key") {
  const auto profiles = genericProfilesFromJson(R"({"profiles":[{"name":"caisse-x","delimiter":";","header_rows":2,
    "date_column":0,"date_format":"DD/MM/YYYY","decimal_mark":",","encoding":"windows-1252",
    "withdrawal_column":3,"deposit_column":4,"description_columns":[1,2],"reference_columns":[5,6],
    "account_column":7,"sequence_column":8}]})");
  REQUIRE(profiles.size() == 1);
  const CsvProfile& profile = profiles.front();
  CHECK(profile.name == "caisse-x");
  CHECK(profile.format == "generic:caisse-x");
  CHECK(profile.delimiter == ';');
  CHECK(profile.headerRows == 2);
  CHECK(profile.dateFormat == "DD/MM/YYYY");
  CHECK(profile.decimalMark == ',');
  CHECK(profile.encoding == CsvEncoding::windows1252);
  CHECK_FALSE(profile.amountColumn.has_value());
  CHECK(profile.withdrawalColumn == 3);
  CHECK(profile.depositColumn == 4);
  CHECK(profile.descriptionColumns == std::vector<int>{1, 2});
  CHECK(profile.referenceColumns == std::vector<int>{5, 6});
  CHECK(profile.accountColumns == std::vector<int>{7});
  CHECK(profile.sequenceColumn == 8);
}

TEST_CASE("defaults: comma, no header, point, automatic encoding; a header implies one header row") {
  const auto plain = genericProfilesFromJson(withProfile(R"("amount_column":1,"description_columns":2)"));
  CHECK(plain.front().delimiter == ',');
  CHECK(plain.front().headerRows == 0);
  CHECK(plain.front().decimalMark == '.');
  CHECK(plain.front().encoding == CsvEncoding::automatic);
  CHECK(plain.front().descriptionColumns == std::vector<int>{2});
  const auto headed = genericProfilesFromJson(
      withProfile(R"("amount_column":1,"description_columns":[2],"header":["Date","Montant","Texte"])"));
  CHECK(headed.front().headerRows == 1);
  CHECK(headed.front().expectedHeader == std::vector<std::string>{"Date", "Montant", "Texte"});
  CHECK(genericProfilesFromJson(R"({"profiles":[]})").empty());
}

TEST_CASE("a bad configuration is refused naming the profile and the key") {
  CHECK_THAT(configurationError("not json"), Contains("not JSON"));
  CHECK_THAT(configurationError(R"({"profile":[]})"), Contains("profiles"));
  CHECK_THAT(configurationError(R"({"profiles":[3]})"), Contains("profile 0"));
  CHECK_THAT(configurationError(R"({"profiles":[{"date_column":0}]})"), Contains("\"name\" is required"));
  CHECK_THAT(configurationError(R"({"profiles":[{"name":"a b"}]})"), Contains("\"name\""));
  CHECK_THAT(configurationError(R"({"profiles":[{"name":"rbc"}]})"), Contains("built-in"));
  const std::string noAmount = configurationError(withProfile(R"("description_columns":[1])"));
  CHECK_THAT(noAmount, Contains("profile \"caisse-x\""));
  CHECK_THAT(noAmount, Contains("amount_column"));
  CHECK_THAT(configurationError(withProfile(
                 R"("amount_column":1,"withdrawal_column":2,"deposit_column":3,"description_columns":[1])")),
             Contains("amount_column"));
  CHECK_THAT(configurationError(withProfile(R"("withdrawal_column":2,"description_columns":[1])")),
             Contains("deposit_column"));
  CHECK_THAT(configurationError(withProfile(R"("amount_column":-1,"description_columns":[1])")),
             Contains("amount_column"));
  CHECK_THAT(configurationError(withProfile(R"("amount_column":"3","description_columns":[1])")),
             Contains("amount_column"));
  CHECK_THAT(configurationError(withProfile(R"("amount_column":3,"description_columns":[])")),
             Contains("description_columns"));
  CHECK_THAT(configurationError(withProfile(R"("amount_column":3,"description_columns":["a"])")),
             Contains("description_columns"));
  CHECK_THAT(configurationError(withProfile(R"("amount_column":3,"description_columns":[1],"delimiter":"|")")),
             Contains("delimiter"));
  CHECK_THAT(configurationError(withProfile(R"("amount_column":3,"description_columns":[1],"decimal_mark":";")")),
             Contains("decimal_mark"));
  CHECK_THAT(configurationError(withProfile(R"("amount_column":3,"description_columns":[1],"encoding":"latin9")")),
             Contains("encoding"));
  CHECK_THAT(configurationError(withProfile(R"("amount_column":3,"description_columns":[1],"colour":"red")")),
             Contains("colour"));
  CHECK_THAT(configurationError(withProfile(R"("amount_column":3,"description_columns":[1],"header":[])")),
             Contains("header"));
  CHECK_THAT(configurationError(withProfile(
                 R"("amount_column":3,"description_columns":[1],"reference_column":1,"reference_columns":[2])")),
             Contains("reference_column"));
  CHECK_THAT(
      configurationError(
          R"({"profiles":[{"name":"x","date_column":0,"date_format":"YY/MM/DD","amount_column":1,"description_columns":[1]}]})"),
      Contains("date_format"));
  const std::string twice =
      R"({"name":"x","date_column":0,"date_format":"DD/MM/YYYY","amount_column":1,"description_columns":[1]})";
  CHECK_THAT(configurationError(R"({"profiles":[)" + twice + "," + twice + "]}"), Contains("twice"));
}

TEST_CASE("the field of a configuration error points into the profiles array") {
  try {
    genericProfilesFromJson(withProfile(R"("amount_column":3,"description_columns":[1],"decimal_mark":";")"));
    FAIL("expected an error");
  } catch (const Error& error) {
    REQUIRE(error.fieldErrors().size() == 1);
    CHECK(error.fieldErrors().front().field == "profiles[0].decimal_mark");
  }
}
