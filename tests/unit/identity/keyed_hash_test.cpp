#include "identity/keyed_hash.h"

#include <catch2/catch.hpp>

#include "core/error.h"

using namespace parcours::identity;
using parcours::core::Error;
using parcours::core::ErrorCode;

TEST_CASE("names fold case, accents, hyphens and spacing", "[normalize]") {
  CHECK(normalizeForMatching("  Éloïse   CÔTÉ-Tremblay ") == "eloise cote tremblay");
  CHECK(normalizeForMatching("eloise cote tremblay") == "eloise cote tremblay");
  CHECK(normalizeForMatching("O'Brien") == normalizeForMatching("o brien"));
  CHECK(normalizeForMatching("O’Brien") == "o brien");
  CHECK(normalizeForMatching("St.-Pierre") == "st pierre");
  CHECK(normalizeForMatching("Jean\t\n- Marc") == "jean marc");
  CHECK(normalizeForMatching("").empty());
  CHECK(normalizeForMatching(" - ' . ").empty());
}

TEST_CASE("Latin-1 and Latin Extended-A letters lose their diacritics", "[normalize]") {
  CHECK(normalizeForMatching("éèêëàâäçîïôöûüùÿñ") == "eeeeaaaciioouuuyn");
  CHECK(normalizeForMatching("ÉÈÊËÀÂÄÇÎÏÔÖÛÜÙŸÑ") == "eeeeaaaciioouuuyn");
  CHECK(normalizeForMatching("Œuvre Æsir Straße") == "oeuvre aesir strasse");
  CHECK(normalizeForMatching("ŁłŚśŻżŹźŃńĘęĄąĆćČčŠšŽžŘř") == "llsszzzznneeaaccccsszzrr");
  CHECK(normalizeForMatching("Øyvind Đorđević Þór") == "oyvind dordevic thor");
}

TEST_CASE("composed and decomposed accents normalise alike", "[normalize]") {
  // "é" as U+00E9 and as "e" + U+0301 COMBINING ACUTE ACCENT.
  CHECK(normalizeForMatching("C\u00f4t\u00e9") == normalizeForMatching("Co\u0302te\u0301"));
}

TEST_CASE("Vietnamese and non-Latin names keep a stable form", "[normalize]") {
  const std::string nguyen = normalizeForMatching("Nguyễn");
  CHECK(nguyen == "nguyen");
  CHECK(normalizeForMatching("NGUYỄN") == nguyen);
  CHECK(normalizeForMatching("Nguye\u0302\u0303n") == nguyen);  // decomposed
  CHECK(normalizeForMatching("Иванов") == "иванов");
  CHECK(normalizeForMatching("ИВАНОВ") == "иванов");
  CHECK(normalizeForMatching("王 小明") == "王 小明");
}

TEST_CASE("invalid UTF-8 is refused", "[normalize]") {
  for (const std::string& bad : {std::string("\xff"), std::string("caf\xc3"), std::string("\xc0\xaf"),
                                 std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80"), std::string("a\x80z")}) {
    CAPTURE(bad);
    try {
      normalizeForMatching(bad);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.code() == ErrorCode::bad_request);
    }
  }
}

TEST_CASE("KeyedHasher is HMAC-SHA256 in hex", "[keyed-hash]") {
  // Reference value from Python: hmac.new(b"\x0b" * 32, b"Hi There", hashlib.sha256).hexdigest()
  const KeyedHasher hasher(std::string(32, '\x0b'));
  CHECK(hasher.hash("Hi There") == "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7");
  CHECK(hasher.hash("") != hasher.hash(" "));
  CHECK_THROWS_AS(KeyedHasher("short"), Error);
}

TEST_CASE("personLookupKey matches spelling variants of one person only", "[keyed-hash]") {
  const KeyedHasher hasher(std::string(32, 'a'));
  const std::string key = personLookupKey(hasher, "Éloïse", "Côté-Tremblay", "1990-04-01");
  CHECK(key.size() == 64);
  CHECK(personLookupKey(hasher, "  ELOISE ", "cote  tremblay", "1990-04-01") == key);
  CHECK(personLookupKey(hasher, "eloise", "Cote Tremblay", "1990-04-02") != key);
  CHECK(personLookupKey(KeyedHasher(std::string(32, 'b')), "Éloïse", "Côté-Tremblay", "1990-04-01") != key);
  // The separator keeps the split between given and family names.
  CHECK(personLookupKey(hasher, "Eloise Cote", "Tremblay", "1990-04-01") != key);
  CHECK_THROWS_AS(personLookupKey(hasher, "Eloise", "Cote", "1990-4-1"), Error);
  CHECK_THROWS_AS(personLookupKey(hasher, "Elo\xffise", "Cote", "1990-04-01"), Error);
}
