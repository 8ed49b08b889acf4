#include "core/money.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <optional>

#include "core/error.h"

using parcours::core::Error;
using parcours::core::ErrorCode;
using parcours::core::Language;
using parcours::core::Money;

namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
const std::string nbsp = "\xC2\xA0";

// The code of the core::Error thrown by `f`, or nullopt when it does not throw.
template <class F>
std::optional<ErrorCode> errorOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return std::nullopt;
}

template <class F>
std::string fieldOf(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.fieldErrors().empty() ? std::string() : e.fieldErrors().front().field;
  }
  return "<no error>";
}

Money cad(std::int64_t cents) {
  return Money(cents, "CAD");
}

}  // namespace

TEST_CASE("Money constructor validates the currency", "[money]") {
  const Money m(123, "EUR");
  CHECK(m.cents() == 123);
  CHECK(m.currency() == "EUR");
  CHECK(Money::zero("CAD").cents() == 0);

  for (const char* bad : {"", "CA", "CADX", "cad", "Cad", "C4D", "C D"}) {
    INFO("currency: '" << bad << "'");
    CHECK(errorOf([&] { Money(1, bad); }) == ErrorCode::bad_request);
  }
}

TEST_CASE("Money arithmetic", "[money]") {
  CHECK((cad(150) + cad(275)).cents() == 425);
  CHECK((cad(150) - cad(275)).cents() == -125);
  CHECK((-cad(150)).cents() == -150);
  CHECK((cad(150) * 3).cents() == 450);
  CHECK((cad(150) * -2).cents() == -300);
  CHECK((cad(150) + cad(1)).currency() == "CAD");

  Money total = cad(100);
  total += cad(50);
  total -= cad(25);
  CHECK(total.cents() == 125);
}

TEST_CASE("Money arithmetic overflow throws unprocessable", "[money]") {
  CHECK(errorOf([] { (void)(cad(kMax) + cad(1)); }) == ErrorCode::unprocessable);
  CHECK(errorOf([] { (void)(cad(kMin) - cad(1)); }) == ErrorCode::unprocessable);
  CHECK(errorOf([] { (void)(cad(kMin) + cad(-1)); }) == ErrorCode::unprocessable);
  CHECK(errorOf([] { (void)(-cad(kMin)); }) == ErrorCode::unprocessable);
  CHECK(errorOf([] { (void)(cad(kMax / 2 + 1) * 2); }) == ErrorCode::unprocessable);
  CHECK(errorOf([] { (void)(cad(kMin) * -1); }) == ErrorCode::unprocessable);
  // Right at the edges it still works.
  CHECK((cad(kMax - 1) + cad(1)).cents() == kMax);
  CHECK((cad(kMin + 1) - cad(1)).cents() == kMin);
  CHECK((-cad(kMax)).cents() == kMin + 1);
}

TEST_CASE("Mixing currencies throws unprocessable", "[money]") {
  const Money c(100, "CAD");
  const Money u(100, "USD");
  CHECK(errorOf([&] { (void)(c + u); }) == ErrorCode::unprocessable);
  CHECK(errorOf([&] { (void)(c - u); }) == ErrorCode::unprocessable);
  CHECK(errorOf([&] { (void)(c < u); }) == ErrorCode::unprocessable);
  CHECK(errorOf([&] { (void)(c <=> u); }) == ErrorCode::unprocessable);
  Money acc = c;
  CHECK(errorOf([&] { acc += u; }) == ErrorCode::unprocessable);
  CHECK(acc.cents() == 100);
  // Equality has an answer: different currencies are not equal.
  CHECK_FALSE(c == u);
  CHECK(c != u);
}

TEST_CASE("Money comparison", "[money]") {
  CHECK(cad(100) == cad(100));
  CHECK(cad(100) != cad(101));
  CHECK(cad(-5) < cad(3));
  CHECK(cad(3) > cad(-5));
  CHECK(cad(3) <= cad(3));
  CHECK((cad(kMin) <=> cad(kMax)) == std::strong_ordering::less);
  CHECK((cad(7) <=> cad(7)) == std::strong_ordering::equal);
}

TEST_CASE("Money split puts the remainder on the first part", "[money]") {
  auto cents = [](const std::vector<Money>& parts) {
    std::vector<std::int64_t> out;
    for (const Money& m : parts) out.push_back(m.cents());
    return out;
  };
  CHECK(cents(cad(50000).split(3)) == std::vector<std::int64_t>{16668, 16666, 16666});
  CHECK(cents(cad(-50000).split(3)) == std::vector<std::int64_t>{-16668, -16666, -16666});
  CHECK(cents(cad(2).split(5)) == std::vector<std::int64_t>{2, 0, 0, 0, 0});
  CHECK(cents(cad(-2).split(5)) == std::vector<std::int64_t>{-2, 0, 0, 0, 0});
  CHECK(cents(cad(0).split(2)) == std::vector<std::int64_t>{0, 0});
  CHECK(cents(cad(901).split(1)) == std::vector<std::int64_t>{901});
  CHECK(cents(cad(900).split(4)) == std::vector<std::int64_t>{225, 225, 225, 225});
  CHECK(cents(cad(kMin).split(2)) == std::vector<std::int64_t>{kMin / 2, kMin / 2});
  CHECK(cents(cad(kMax).split(2)) == std::vector<std::int64_t>{kMax / 2 + 1, kMax / 2});

  const auto parts = Money(1000, "EUR").split(3);
  for (const Money& p : parts) CHECK(p.currency() == "EUR");

  CHECK(errorOf([] { (void)cad(100).split(0); }) == ErrorCode::bad_request);
  CHECK(errorOf([] { (void)cad(100).split(-3); }) == ErrorCode::bad_request);
}

TEST_CASE("Money format in French uses no-break spaces", "[money]") {
  // Exact bytes: U+00A0 is C2 A0 in UTF-8.
  CHECK(cad(123456).format(Language::fr) ==
        "1\xC2\xA0"
        "234,56\xC2\xA0$");
  CHECK(cad(-123456).format(Language::fr) ==
        "-1\xC2\xA0"
        "234,56\xC2\xA0$");
  CHECK(cad(0).format(Language::fr) == "0,00" + nbsp + "$");
  CHECK(cad(5).format(Language::fr) == "0,05" + nbsp + "$");
  CHECK(cad(-5).format(Language::fr) == "-0,05" + nbsp + "$");
  CHECK(cad(99999).format(Language::fr) == "999,99" + nbsp + "$");
  CHECK(cad(100000).format(Language::fr) == "1" + nbsp + "000,00" + nbsp + "$");
  CHECK(cad(123456789012).format(Language::fr) == "1" + nbsp + "234" + nbsp + "567" + nbsp + "890,12" + nbsp + "$");
  CHECK(Money(123456, "USD").format(Language::fr) == "1" + nbsp + "234,56" + nbsp + "$");
  CHECK(Money(123456, "EUR").format(Language::fr) == "1" + nbsp + "234,56" + nbsp + "EUR");
}

TEST_CASE("Money format in English", "[money]") {
  CHECK(cad(123456).format(Language::en) == "$1,234.56");
  CHECK(cad(-123456).format(Language::en) == "-$1,234.56");
  CHECK(cad(0).format(Language::en) == "$0.00");
  CHECK(cad(-5).format(Language::en) == "-$0.05");
  CHECK(cad(100000000).format(Language::en) == "$1,000,000.00");
  CHECK(Money(123456, "USD").format(Language::en) == "$1,234.56");
  CHECK(Money(123456, "EUR").format(Language::en) == "EUR" + nbsp + "1,234.56");
  CHECK(Money(-123456, "EUR").format(Language::en) == "-EUR" + nbsp + "1,234.56");
}

TEST_CASE("Money format and toDecimal at the int64 limits", "[money]") {
  CHECK(cad(kMin).format(Language::en) == "-$92,233,720,368,547,758.08");
  CHECK(cad(kMax).format(Language::en) == "$92,233,720,368,547,758.07");
  CHECK(cad(kMin).format(Language::fr) ==
        "-92" + nbsp + "233" + nbsp + "720" + nbsp + "368" + nbsp + "547" + nbsp + "758,08" + nbsp + "$");
  CHECK(cad(kMin).toDecimal() == "-92233720368547758.08");
  CHECK(cad(kMax).toDecimal() == "92233720368547758.07");
}

TEST_CASE("Money toDecimal", "[money]") {
  CHECK(cad(123456).toDecimal() == "1234.56");
  CHECK(cad(-5).toDecimal() == "-0.05");
  CHECK(cad(0).toDecimal() == "0.00");
  CHECK(cad(-100).toDecimal() == "-1.00");
  CHECK(cad(1230).toDecimal() == "12.30");
}

TEST_CASE("Money parse is exact", "[money]") {
  CHECK(Money::parse("1234.56", "CAD").cents() == 123456);
  CHECK(Money::parse("-3.5", "CAD").cents() == -350);
  CHECK(Money::parse("12", "CAD").cents() == 1200);
  CHECK(Money::parse("0.05", "CAD").cents() == 5);
  CHECK(Money::parse("-0.05", "CAD").cents() == -5);
  CHECK(Money::parse("-0", "CAD").cents() == 0);
  CHECK(Money::parse("007.10", "CAD").cents() == 710);
  CHECK(Money::parse("1234.56", "EUR").currency() == "EUR");
  // The classic floating-point trap: in cents it is exact.
  CHECK(Money::parse("0.1", "CAD") + Money::parse("0.2", "CAD") == Money::parse("0.3", "CAD"));
  CHECK((Money::parse("0.1", "CAD") + Money::parse("0.2", "CAD")).cents() == 30);
  // Round trip with toDecimal.
  for (const char* text : {"1234.56", "-0.05", "0.00", "92233720368547758.07", "-92233720368547758.08"}) {
    CHECK(Money::parse(text, "CAD").toDecimal() == text);
  }
  CHECK(Money::parse("-92233720368547758.08", "CAD").cents() == kMin);
  CHECK(Money::parse("92233720368547758.07", "CAD").cents() == kMax);
}

TEST_CASE("Money parse rejects anything else with bad_request on 'amount'", "[money]") {
  for (const char* bad : {"",
                          "-",
                          "+",
                          "+1",
                          " 1",
                          "1 ",
                          "1.234",
                          "1,5",
                          "1e3",
                          ".5",
                          "5.",
                          "-.5",
                          "--1",
                          "1.-5",
                          "1..5",
                          "0x10",
                          "abc",
                          "1.2a",
                          "92233720368547758.08",
                          "-92233720368547758.09",
                          "99999999999999999999",
                          "184467440737095516.16"}) {
    INFO("text: '" << bad << "'");
    CHECK(errorOf([&] { (void)Money::parse(bad, "CAD"); }) == ErrorCode::bad_request);
    CHECK(fieldOf([&] { (void)Money::parse(bad, "CAD"); }) == "amount");
  }
  CHECK(errorOf([] { (void)Money::parse("1.00", "cad"); }) == ErrorCode::bad_request);
}
