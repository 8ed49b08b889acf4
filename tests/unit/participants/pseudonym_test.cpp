#include "participants/pseudonym.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/error.h"

using namespace parcours::participants;

namespace {

// Replays `values`, then fails the test if asked for more.
struct Scripted {
  std::vector<std::uint32_t> values;
  std::size_t next = 0;
  std::uint32_t operator()() {
    REQUIRE(next < values.size());
    return values[next++];
  }
};

constexpr std::uint32_t kFirstRejected = 4294967280U;  // 30 × floor(2^32 / 30)

}  // namespace

TEST_CASE("the code alphabet has no look-alikes", "[pseudonym]") {
  CHECK(kCodeAlphabet.size() == 30);
  for (const char c : std::string("01ILOU")) CHECK(kCodeAlphabet.find(c) == std::string::npos);
  CHECK(std::set<char>(kCodeAlphabet.begin(), kCodeAlphabet.end()).size() == kCodeAlphabet.size());
}

TEST_CASE("codes have the P-XXXXXX format", "[pseudonym]") {
  std::random_device device;
  for (int i = 0; i < 1000; ++i) {
    const std::string code = newParticipantCode([&] { return static_cast<std::uint32_t>(device()); });
    CAPTURE(code);
    CHECK(code.size() == 8);
    CHECK(code.rfind("P-", 0) == 0);
    CHECK(isParticipantCode(code));
  }
}

TEST_CASE("isParticipantCode accepts only the canonical form", "[pseudonym]") {
  CHECK(isParticipantCode("P-7K3Q9X"));
  CHECK(isParticipantCode("P-222222"));
  CHECK(isParticipantCode("P-ZZZZZZ"));
  CHECK_FALSE(isParticipantCode(""));
  CHECK_FALSE(isParticipantCode("P-"));
  CHECK_FALSE(isParticipantCode("P-7K3Q9"));
  CHECK_FALSE(isParticipantCode("P-7K3Q9XX"));
  CHECK_FALSE(isParticipantCode("p-7K3Q9X"));
  CHECK_FALSE(isParticipantCode("P-7k3q9x"));
  CHECK_FALSE(isParticipantCode("Q-7K3Q9X"));
  CHECK_FALSE(isParticipantCode("P_7K3Q9X"));
  CHECK_FALSE(isParticipantCode("P-7K3Q0X"));  // 0 is a look-alike
  CHECK_FALSE(isParticipantCode("P-7K3QOX"));  // O too
  CHECK_FALSE(isParticipantCode("P-7K3QUX"));
  CHECK_FALSE(isParticipantCode(std::string("P-7K3Q9\0", 8)));
}

TEST_CASE("10 000 codes from a real random source are (almost) all distinct", "[pseudonym]") {
  // 30^6 ≈ 729 million codes: among 10 000 the birthday bound gives a ~7 %
  // chance of one collision, so the test allows a handful (more than 5 has a
  // probability near 1e-10) — the store's unique constraint handles the rest.
  // A source with, say, 16 bits of entropy would give hundreds.
  std::random_device device;
  std::set<std::string> codes;
  constexpr int kCount = 10000;
  for (int i = 0; i < kCount; ++i) {
    codes.insert(newParticipantCode([&] { return static_cast<std::uint32_t>(device()); }));
  }
  CHECK(kCount - static_cast<int>(codes.size()) <= 5);
}

TEST_CASE("every symbol appears in every position", "[pseudonym]") {
  std::mt19937 generator(12345);  // deterministic, the distribution is what matters here
  std::vector<std::set<char>> seen(kCodeLength);
  for (int i = 0; i < 3000; ++i) {
    const std::string code = newParticipantCode([&] { return static_cast<std::uint32_t>(generator()); });
    for (std::size_t k = 0; k < kCodeLength; ++k) seen[k].insert(code[2 + k]);
  }
  for (const auto& symbols : seen) CHECK(symbols.size() == kCodeAlphabet.size());
}

TEST_CASE("rejection sampling skips the values that would bias the code", "[pseudonym]") {
  SECTION("values below the cut map by remainder") {
    // 30 % 30 = 0 → '2'; the last accepted value, 2^32 − 17, % 30 = 29 → 'Z'.
    Scripted source{{0, 1, 2, 29, 30, kFirstRejected - 1}};
    CHECK(newParticipantCode(std::ref(source)) == "P-234Z2Z");
  }
  SECTION("the top 16 values are drawn again") {
    // Without rejection 0xFFFFFFFF % 30 = 15 ('H') would appear; it must not.
    Scripted source{{0xFFFFFFFFU, 0, kFirstRejected, 1, 0xFFFFFFF5U, 0xFFFFFFFEU, 2, 3, 4, 5}};
    CHECK(newParticipantCode(std::ref(source)) == "P-234567");
    CHECK(source.next == source.values.size());
  }
  SECTION("a source stuck in the rejected range is reported, not looped on forever") {
    int calls = 0;
    CHECK_THROWS_AS(newParticipantCode([&] {
                      ++calls;
                      return 0xFFFFFFFFU;
                    }),
                    parcours::core::Error);
    CHECK(calls < 1000);
  }
  SECTION("a heavily biased source still yields only valid codes") {
    // Three values out of four fall in the rejected range.
    std::mt19937 generator(7);
    int draw = 0;
    for (int i = 0; i < 200; ++i) {
      const std::string code = newParticipantCode([&]() -> std::uint32_t {
        return (draw++ % 4 == 0) ? static_cast<std::uint32_t>(generator() % kFirstRejected)
                                 : kFirstRejected + static_cast<std::uint32_t>(generator() % 16);
      });
      CHECK(isParticipantCode(code));
    }
  }
}
