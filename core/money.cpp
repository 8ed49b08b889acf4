#include "core/money.h"

#include <cstring>
#include <limits>

#include "core/error.h"

namespace parcours::core {

namespace {

// U+00A0 NO-BREAK SPACE in UTF-8: French digit groups, and the space that
// ties an amount to its currency so that a line never breaks inside it.
constexpr std::string_view kNoBreakSpace = "\xC2\xA0";

bool isUpperLetter(char c) {
  return c >= 'A' && c <= 'Z';
}
bool isDigit(char c) {
  return c >= '0' && c <= '9';
}

[[noreturn]] void throwOverflow(std::string_view operation) {
  throw Error(ErrorCode::unprocessable, "amount out of range in " + std::string(operation));
}

[[noreturn]] void throwBadAmount(std::string_view text) {
  throw Error(ErrorCode::bad_request,
              "invalid amount '" + std::string(text) + "': expected digits with at most two decimals, e.g. 1234.56",
              "amount");
}

// |cents| without overflow, also for INT64_MIN.
std::uint64_t magnitude(std::int64_t cents) {
  const auto bits = static_cast<std::uint64_t>(cents);
  return cents < 0 ? std::uint64_t{0} - bits : bits;
}

// Digits of `whole` with `separator` between groups of three.
std::string groupDigits(std::uint64_t whole, std::string_view separator) {
  const std::string digits = std::to_string(whole);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3 * separator.size());
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += separator;
    out.push_back(digits[i]);
  }
  return out;
}

std::string twoDigits(std::uint64_t value) {
  return {static_cast<char>('0' + value / 10), static_cast<char>('0' + value % 10)};
}

}  // namespace

Money::Money(std::int64_t cents, std::string_view currency) : cents_(cents), currency_{} {
  if (currency.size() != 3 || !isUpperLetter(currency[0]) || !isUpperLetter(currency[1]) ||
      !isUpperLetter(currency[2])) {
    throw Error(ErrorCode::bad_request,
                "invalid currency '" + std::string(currency) + "': expected three upper-case letters, e.g. CAD",
                "currency");
  }
  std::memcpy(currency_, currency.data(), 3);
}

Money Money::parse(std::string_view decimal, std::string_view currency) {
  std::size_t i = 0;
  const bool negative = !decimal.empty() && decimal[0] == '-';
  if (negative) ++i;

  const std::size_t wholeStart = i;
  std::uint64_t whole = 0;
  for (; i < decimal.size() && isDigit(decimal[i]); ++i) {
    if (__builtin_mul_overflow(whole, 10u, &whole) ||
        __builtin_add_overflow(whole, static_cast<unsigned>(decimal[i] - '0'), &whole)) {
      throwBadAmount(decimal);
    }
  }
  if (i == wholeStart) throwBadAmount(decimal);

  std::uint64_t fraction = 0;
  if (i < decimal.size() && decimal[i] == '.') {
    ++i;
    const std::size_t fractionStart = i;
    for (; i < decimal.size() && isDigit(decimal[i]); ++i) {
      fraction = fraction * 10 + static_cast<unsigned>(decimal[i] - '0');
    }
    const std::size_t fractionDigits = i - fractionStart;
    if (fractionDigits < 1 || fractionDigits > 2) throwBadAmount(decimal);
    if (fractionDigits == 1) fraction *= 10;
  }
  if (i != decimal.size()) throwBadAmount(decimal);

  std::uint64_t total = 0;
  if (__builtin_mul_overflow(whole, 100u, &total) || __builtin_add_overflow(total, fraction, &total)) {
    throwBadAmount(decimal);
  }
  // The negative range reaches one further than the positive one.
  const std::uint64_t limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
  if (total > limit) throwBadAmount(decimal);

  const std::int64_t cents = negative ? static_cast<std::int64_t>(std::uint64_t{0} - total)  // two's complement
                                      : static_cast<std::int64_t>(total);
  return Money(cents, currency);
}

void Money::requireSameCurrency(const Money& other) const {
  if (std::memcmp(currency_, other.currency_, 3) == 0) return;
  throw Error(ErrorCode::unprocessable,
              "cannot combine amounts in " + std::string(currency()) + " and " + std::string(other.currency()));
}

Money Money::operator+(const Money& other) const {
  requireSameCurrency(other);
  std::int64_t sum = 0;
  if (__builtin_add_overflow(cents_, other.cents_, &sum)) throwOverflow("addition");
  return Money(sum, currency());
}

Money Money::operator-(const Money& other) const {
  requireSameCurrency(other);
  std::int64_t difference = 0;
  if (__builtin_sub_overflow(cents_, other.cents_, &difference)) throwOverflow("subtraction");
  return Money(difference, currency());
}

Money Money::operator-() const {
  std::int64_t negated = 0;
  if (__builtin_sub_overflow(std::int64_t{0}, cents_, &negated)) throwOverflow("negation");
  return Money(negated, currency());
}

Money Money::operator*(std::int64_t factor) const {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(cents_, factor, &product)) throwOverflow("multiplication");
  return Money(product, currency());
}

// Equality is total: amounts in different currencies are simply not equal.
// Ordering them has no answer, so <=> throws.
bool Money::operator==(const Money& other) const {
  return cents_ == other.cents_ && std::memcmp(currency_, other.currency_, 3) == 0;
}

std::strong_ordering Money::operator<=>(const Money& other) const {
  requireSameCurrency(other);
  return cents_ <=> other.cents_;
}

std::vector<Money> Money::split(int parts) const {
  if (parts < 1) {
    throw Error(ErrorCode::bad_request, "cannot split an amount into " + std::to_string(parts) + " parts", "parts");
  }
  // Both truncate toward zero, so the remainder has the amount's sign and
  // |share + remainder| <= |cents_|: no overflow.
  const std::int64_t share = cents_ / parts;
  const std::int64_t remainder = cents_ % parts;
  std::vector<Money> result(static_cast<std::size_t>(parts), Money(share, currency()));
  result.front().cents_ = share + remainder;
  return result;
}

std::string Money::format(Language language) const {
  const std::uint64_t abs = magnitude(cents_);
  const std::uint64_t whole = abs / 100;
  const std::string cents = twoDigits(abs % 100);
  const std::string_view code = currency();
  const bool dollar = code == "CAD" || code == "USD";
  const std::string sign = cents_ < 0 ? "-" : "";

  if (language == Language::fr) {
    // "-1 234,56 $" / "1 234,56 EUR"
    return sign + groupDigits(whole, kNoBreakSpace) + "," + cents + std::string(kNoBreakSpace) +
           (dollar ? std::string("$") : std::string(code));
  }
  // "-$1,234.56" / "EUR 1,234.56"
  const std::string prefix = dollar ? std::string("$") : std::string(code) + std::string(kNoBreakSpace);
  return sign + prefix + groupDigits(whole, ",") + "." + cents;
}

std::string Money::toDecimal() const {
  const std::uint64_t abs = magnitude(cents_);
  std::string text = cents_ < 0 ? "-" : "";  // built by appending: GCC 12 misreports "-" + string
  text += std::to_string(abs / 100);
  text += '.';
  text += twoDigits(abs % 100);
  return text;
}

}  // namespace parcours::core
