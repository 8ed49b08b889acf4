// The example files of docs/samples/, one per format, parsed as the daemon
// will parse them; and every prefix of each (a download cut short) either
// parses or is refused with core::Error — never anything else.
#include <catch2/catch.hpp>

#include "core/error.h"
#include "participants/payment_reference.h"
#include "finance/statement_format.h"
#include "statement_test_support.h"

using namespace parcours::finance;
using namespace parcours::finance::testing;

namespace {

CsvProfile genericSampleProfile() {
  return genericProfilesFromJson(readSample("generic-profile.json")).at(0);
}

struct Sample {
  std::string file;
  std::string contentType;
  std::optional<CsvProfile> profile;
};

std::vector<Sample> samples() {
  return {{"desjardins.csv", "text/csv", desjardinsProfile()},
          {"rbc.csv", "text/csv", rbcProfile()},
          {"generic.csv", "text/csv", genericSampleProfile()},
          {"statement-ofx1.ofx", "application/x-ofx", std::nullopt},
          {"statement-ofx2.ofx", "application/x-ofx", std::nullopt},
          {"camt053.xml", "application/xml", std::nullopt}};
}

ParsedStatement parseSample(const Sample& sample) {
  return parseStatement(readSample(sample.file), sample.contentType, sample.profile ? &*sample.profile : nullptr);
}

std::int64_t total(const ParsedStatement& statement) {
  std::int64_t sum = 0;
  for (const StatementLine& line : statement.lines) sum += line.amountCents;
  return sum;
}

}  // namespace

TEST_CASE("sample: desjardins.csv (Windows-1252, CRLF, blank trailing lines)") {
  const ParsedStatement statement = parseSample(samples()[0]);
  REQUIRE(statement.lines.size() == 7);
  CHECK(statement.lines[0].account == "815-30123-EOP");
  CHECK(statement.lines[0].description == "Virement Interac re\xC3\xA7u / Marie Tremblay / P7K3Q9X-2-8");
  CHECK(statement.lines[2].reference == "147");
  CHECK(statement.lines[3].description ==
        "Paiement facture - Acc\xC3\xA8sD Internet / Hydro-Qu\xC3\xA9"
        "bec, compte d'\xC3\xA9lectricit\xC3\xA9");
  CHECK(statement.lines[6].description == "Frais mensuels \xE2\x80\x93 forfait");
  CHECK(statement.lines[6].date == day(2026, 3, 31));
  CHECK(total(statement) == 15000 + 124500 - 32500 - 21234 + 8000 + 9500 - 795);
}

TEST_CASE("sample: rbc.csv") {
  const ParsedStatement statement = parseSample(samples()[1]);
  REQUIRE(statement.lines.size() == 6);
  CHECK(statement.lines[0].sourceLine == 2);
  CHECK(statement.lines[0].account == "01234-5012345");
  CHECK(statement.lines[1].amountCents == -45000);
  CHECK(statement.lines[4].description == "E-TRANSFER DEPOSIT Sophie B\xC3\xA9langer, loyer PB3XK7D-2-Y");
  CHECK(total(statement) == 20000 - 45000 - 8950 + 132000 + 7500 - 400);
}

TEST_CASE("sample: generic.csv with generic-profile.json (UTF-8 with BOM, ';', decimal comma)") {
  const ParsedStatement statement = parseSample(samples()[2]);
  CHECK(statement.format == "generic:releve-caisse-x");
  REQUIRE(statement.lines.size() == 5);
  CHECK(statement.lines[0].date == day(2026, 3, 1));
  CHECK(statement.lines[1].amountCents == 147025);
  CHECK(statement.lines[1].description == "D\xC3\xA9p\xC3\xB4t D\xC3\xA9p\xC3\xB4t guichet; 3 ch\xC3\xA8ques");
  CHECK(statement.lines[2].reference == "312");
  CHECK(statement.lines[3].description == "Paiement Vid\xC3\xA9otron \"affaires\"");
  CHECK(total(statement) == 12000 + 147025 - 125000 - 6439 - 650);
}

TEST_CASE("sample: statement-ofx1.ofx (SGML, CHARSET:1252)") {
  const ParsedStatement statement = parseSample(samples()[3]);
  REQUIRE(statement.lines.size() == 5);
  CHECK(statement.lines[0].account == "700000100-30123-0123456");
  CHECK(statement.lines[0].bankId == "90000010020260301001");
  CHECK(statement.lines[2].description ==
        "Hydro-Qu\xC3\xA9"
        "bec Paiement facture Acc\xC3\xA8sD");
  CHECK(statement.lines[3].reference == "\xC3\x89lise C\xC3\xB4t\xC3\xA9 & fils P9WC6FN-1-U");
  CHECK(total(statement) == 15000 - 32500 - 21234 + 9500 - 795);
}

TEST_CASE("sample: statement-ofx2.ofx (XML)") {
  const ParsedStatement statement = parseSample(samples()[4]);
  REQUIRE(statement.lines.size() == 4);
  CHECK(statement.lines[0].account == "000300001-01234-5012345");
  CHECK(statement.lines[0].reference == "Jean-Fran\xC3\xA7ois Leblanc P4HMR2T-1-S");
  CHECK(statement.lines[1].reference == "148");
  CHECK(total(statement) == 20000 - 45000 + 132000 - 400);
}

TEST_CASE("sample: camt053.xml") {
  const ParsedStatement statement = parseSample(samples()[5]);
  REQUIRE(statement.lines.size() == 5);
  CHECK(statement.lines[0].account == "01234-5012345");
  CHECK(statement.lines[0].reference == "P4HMR2T-1-S");
  CHECK(statement.lines[0].bankId == "CA20260301000117");
  CHECK(statement.lines[2].bankId == "CA20260310000005");
  CHECK(statement.lines[3].reference == "E2E-20260315-0042 Loyer salle mars PB3XK7D-2-Y");
  CHECK(statement.lines[3].description == "Sophie B\xC3\xA9langer & Associ\xC3\xA9s Virement re\xC3\xA7u");
  CHECK(total(statement) == 20000 - 45000 + 132000 + 7500 - 400);
}

TEST_CASE("the samples' payment references read back") {
  for (const char* reference :
       {"P7K3Q9X-2-8", "pb3xk7d 1 z", "P9WC6FN-2-Z", "P4HMR2T-1-S", "PB3XK7D-2-Y", "P9WC6FN-1-U"}) {
    INFO(reference);
    CHECK(parcours::participants::readReference(reference).has_value());
  }
}

TEST_CASE("every prefix of every sample parses or is refused with core::Error, never anything else") {
  for (const Sample& sample : samples()) {
    const std::string bytes = readSample(sample.file);
    REQUIRE(!bytes.empty());
    int refused = 0;
    for (std::size_t length = 0; length <= bytes.size(); ++length) {
      try {
        const ParsedStatement statement = parseStatement(std::string_view(bytes).substr(0, length), sample.contentType,
                                                         sample.profile ? &*sample.profile : nullptr);
        for (const StatementLine& line : statement.lines) CHECK(line.amountCents != 0);
      } catch (const parcours::core::Error& error) {
        ++refused;
        CHECK(error.code() == parcours::core::ErrorCode::unprocessable);
      }
    }
    INFO(sample.file);
    CHECK(refused > 0);
  }
}

TEST_CASE("garbage bytes in every format are refused with core::Error") {
  std::uint32_t state = 20260301;
  for (int round = 0; round < 200; ++round) {
    std::string bytes;
    const int length = round * 7 % 400;
    for (int i = 0; i < length; ++i) {
      state = state * 1664525u + 1013904223u;
      bytes += static_cast<char>(state >> 24);
    }
    for (const Sample& sample : samples()) {
      try {
        parseStatement(bytes, sample.contentType, sample.profile ? &*sample.profile : nullptr);
      } catch (const parcours::core::Error&) {
      }
    }
  }
  SUCCEED("no other exception and no crash");
}

TEST_CASE("samples with a few bytes changed parse or are refused with core::Error") {
  const std::string interesting = "<>/\"',;\r\n&#0-.( \xE9\xC3";
  std::uint32_t state = 11;
  const auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  };
  for (const Sample& sample : samples()) {
    const std::string original = readSample(sample.file);
    for (int round = 0; round < 400; ++round) {
      std::string bytes = original;
      for (int change = 0; change < 1 + round % 3; ++change) {
        const std::size_t at = next() % bytes.size();
        const char with = round % 2 == 0 ? interesting[next() % interesting.size()] : static_cast<char>(next());
        if (round % 5 == 0) {
          bytes.insert(at, 1, with);
        } else {
          bytes[at] = with;
        }
      }
      try {
        parseStatement(bytes, sample.contentType, sample.profile ? &*sample.profile : nullptr);
      } catch (const parcours::core::Error&) {
      }
    }
  }
  SUCCEED("no other exception and no crash");
}
