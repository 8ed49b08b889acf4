#pragma once
// core::Money — an amount in integer cents with its ISO 4217 currency.
// No floating point anywhere: parsing, arithmetic and formatting are exact.
// Arithmetic that mixes currencies throws core::Error(unprocessable).

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parcours::core {

enum class Language { fr, en };

class Money {
 public:
  // REQUIRES: currency is three upper-case letters (e.g. "CAD").
  Money(std::int64_t cents, std::string_view currency);

  static Money zero(std::string_view currency) { return Money(0, currency); }
  // Parses "1234.56", "-3.5", "12" exactly; at most two decimals; throws
  // core::Error(bad_request) on anything else or on overflow.
  static Money parse(std::string_view decimal, std::string_view currency);

  std::int64_t cents() const noexcept { return cents_; }
  std::string_view currency() const noexcept { return {currency_, 3}; }

  Money operator+(const Money& other) const;
  Money operator-(const Money& other) const;
  Money operator-() const;
  Money operator*(std::int64_t factor) const;
  Money& operator+=(const Money& other) { return *this = *this + other; }
  Money& operator-=(const Money& other) { return *this = *this - other; }

  bool operator==(const Money& other) const;
  // Throws when currencies differ.
  std::strong_ordering operator<=>(const Money& other) const;

  // Splits into `parts` amounts of equal cents, the remainder on the first
  // (500.00 / 3 → 166.68, 166.66, 166.66). REQUIRES: parts >= 1.
  std::vector<Money> split(int parts) const;

  // "1 234,56 $" in French (U+00A0 no-break spaces as group separator and
  // before the symbol) or "$1,234.56" in English; negative amounts get a
  // leading minus sign ("-1 234,56 $", "-$1,234.56").
  std::string format(Language language) const;
  // "1234.56" — plain decimal, for CSV and logs of amounts.
  std::string toDecimal() const;

 private:
  void requireSameCurrency(const Money& other) const;

  std::int64_t cents_;
  char currency_[3];
};

}  // namespace parcours::core
