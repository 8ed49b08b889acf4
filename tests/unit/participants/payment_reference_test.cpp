#include "participants/payment_reference.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/error.h"
#include "participants/pseudonym.h"

using namespace parcours::participants;

namespace {

std::vector<std::string> generatedCodes(std::size_t count) {
  std::mt19937 random(20261202);
  std::vector<std::string> codes;
  for (std::size_t i = 0; i < count; ++i) {
    codes.push_back(parcours::participants::newParticipantCode([&] { return static_cast<std::uint32_t>(random()); }));
  }
  // Codes full of the symbols a weak check confuses.
  codes.push_back("P-2Z2Z2Z");
  codes.push_back("P-Z2Z2Z2");
  codes.push_back("P-PPPPPP");
  codes.push_back("P-222222");
  codes.push_back("P-ZZZZZZ");
  return codes;
}

const std::vector<int> kSeqs = {1, 2, 3, 9, 10, 11, 12, 19, 20, 29, 30, 99, 100, 101, 120, 999};

// Every symbol a person could type in a reference.
const std::string kTypeable = std::string(kCheckAlphabet) + "01";

bool readsAsAnotherReference(const std::string& text, const ReadReference& original) {
  const auto read = readReference(text);
  return read.has_value() && !(*read == original);
}

}  // namespace

TEST_CASE("a reference is P, the code without its dash, the number and a check character", "[participants][reference]") {
  const std::string reference = makeReference("P-7K3Q9X", 2);
  REQUIRE(reference.size() == 11);
  CHECK(reference.substr(0, 10) == "P7K3Q9X-2-");
  CHECK(kCheckAlphabet.find(reference.back()) != std::string_view::npos);
  CHECK(makeReference("P-7K3Q9X", 12).substr(0, 11) == "P7K3Q9X-12-");
}

TEST_CASE("makeReference refuses a malformed code or number", "[participants][reference]") {
  CHECK_THROWS_AS(makeReference("7K3Q9X", 1), parcours::core::Error);
  CHECK_THROWS_AS(makeReference("P-7K3Q9O", 1), parcours::core::Error);
  CHECK_THROWS_AS(makeReference("P-7K3Q9X", 0), parcours::core::Error);
  CHECK_THROWS_AS(makeReference("P-7K3Q9X", 1000000), parcours::core::Error);
}

TEST_CASE("every reference reads back to its code and number", "[participants][reference]") {
  for (const auto& code : generatedCodes(300)) {
    for (const int seq : kSeqs) {
      const auto read = readReference(makeReference(code, seq));
      REQUIRE(read.has_value());
      CHECK(read->participantCode == code);
      CHECK(read->installmentSeq == seq);
    }
  }
}

TEST_CASE("reading tolerates case, spaces, dashes and a missing prefix", "[participants][reference]") {
  const std::string reference = makeReference("P-7K3Q9X", 2);
  const char check = reference.back();
  const ReadReference expected{"P-7K3Q9X", 2};
  const std::string lowerCheck(1, static_cast<char>(std::tolower(check)));
  for (const std::string& typed : {reference, std::string("p7k3q9x-2-") + lowerCheck,
                                   std::string("P-7K3Q9X-2-") + check, std::string("7K3Q9X-2-") + check,
                                   std::string(" P 7K3 Q9X 2 ") + check + " ", std::string("P7K3Q9X2") + check,
                                   std::string("7K3Q9X2") + check, std::string("p-7k3-q9x - 2 - ") + lowerCheck,
                                   std::string("P7K3Q9X--2--") + check}) {
    INFO(typed);
    const auto read = readReference(typed);
    REQUIRE(read.has_value());
    CHECK(*read == expected);
  }
}

TEST_CASE("reading refuses what is not a reference", "[participants][reference]") {
  const std::string reference = makeReference("P-7K3Q9X", 2);
  for (const std::string& typed : {std::string(""), std::string("   "), std::string("P7K3Q9X"),
                                   std::string("P7K3Q9X-2"), std::string("P7K3Q9X-0-") + reference.back(),
                                   std::string("P7K3Q9X-02-") + reference.back(), reference + "X",
                                   std::string("Q") + reference.substr(1), std::string("P7K3Q9-2-") + reference.back(),
                                   std::string("rent for october"), std::string("P7K3Q9X-2-1")}) {
    INFO(typed);
    CHECK_FALSE(readReference(typed).has_value());
  }
}

TEST_CASE("a wrong check character is refused", "[participants][reference]") {
  for (const auto& code : generatedCodes(50)) {
    for (const int seq : kSeqs) {
      std::string reference = makeReference(code, seq);
      const char right = reference.back();
      for (const char wrong : kTypeable) {
        if (wrong == right) continue;
        reference.back() = wrong;
        INFO(reference);
        CHECK_FALSE(readReference(reference).has_value());
      }
    }
  }
}

TEST_CASE("no single mistyped symbol reads as another reference", "[participants][reference][exhaustive]") {
  std::size_t tried = 0;
  for (const auto& code : generatedCodes(400)) {
    for (const int seq : kSeqs) {
      const std::string reference = makeReference(code, seq);
      const ReadReference original{code, seq};
      for (std::size_t i = 0; i < reference.size(); ++i) {
        if (reference[i] == '-') continue;
        for (const char typo : kTypeable) {
          if (typo == reference[i]) continue;
          std::string mistyped = reference;
          mistyped[i] = typo;
          ++tried;
          if (readsAsAnotherReference(mistyped, original)) FAIL(reference << " mistyped as " << mistyped << " reads");
        }
      }
    }
  }
  CHECK(tried > 1'000'000);
}

TEST_CASE("no swap of two adjacent symbols reads as another reference", "[participants][reference][exhaustive]") {
  std::size_t tried = 0;
  for (const auto& code : generatedCodes(2000)) {
    for (const int seq : kSeqs) {
      const std::string reference = makeReference(code, seq);
      const ReadReference original{code, seq};
      // Adjacent symbols, dashes ignored: swap the symbols, leave the dashes where they were.
      std::vector<std::size_t> symbols;
      for (std::size_t i = 0; i < reference.size(); ++i) {
        if (reference[i] != '-') symbols.push_back(i);
      }
      for (std::size_t k = 0; k + 1 < symbols.size(); ++k) {
        std::string swapped = reference;
        std::swap(swapped[symbols[k]], swapped[symbols[k + 1]]);
        if (swapped == reference) continue;
        ++tried;
        if (readsAsAnotherReference(swapped, original)) FAIL(reference << " swapped as " << swapped << " reads");
      }
    }
  }
  CHECK(tried > 200'000);
}

TEST_CASE("every transposition of two adjacent values is caught, whatever precedes them", "[participants][reference][exhaustive]") {
  // All 30 × 30 pairs of code symbols at every position of a code.
  for (std::size_t position = 0; position + 1 < parcours::participants::kCodeLength; ++position) {
    for (const char a : kCodeAlphabet) {
      for (const char b : kCodeAlphabet) {
        if (a == b) continue;
        std::string code = "P-7K3Q9X";
        code[2 + position] = a;
        code[3 + position] = b;
        std::string swapped = code;
        std::swap(swapped[2 + position], swapped[3 + position]);
        const std::string reference = makeReference(code, 7);
        const std::string other = makeReference(swapped, 7);
        CHECK(reference.back() != other.back());
      }
    }
  }
}
