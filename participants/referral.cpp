#include "participants/referral.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/error.h"
#include "participants/text_rules.h"

namespace parcours::participants {

namespace {

using core::LocalDate;

constexpr std::size_t kMaxNameLength = 100;
constexpr std::size_t kMaxEmailBytes = 254;      // RFC 5321 path limit
constexpr std::size_t kMaxEmailLocalBytes = 64;  // RFC 5321 local-part limit
constexpr std::size_t kMaxPhoneLength = 32;
constexpr std::size_t kMinPhoneDigits = 7;
constexpr std::size_t kMaxAddressLength = 500;
constexpr std::size_t kMaxSourceLength = 50;
constexpr std::size_t kMaxReferenceLength = 100;
constexpr int kMinAgeAtReferral = 16;
constexpr int kMaxAgeAtReferral = 120;

constexpr std::string_view kDefaultLanguage = "fr";
constexpr std::string_view kDefaultSource = "DPCP";

// Collects field errors so that one answer lists them all.
class FieldErrors {
 public:
  void add(std::string_view field, std::string message) { errors_.push_back({std::string(field), std::move(message)}); }

  // Throws core::Error(unprocessable) "<what>: field, field" when any error was added.
  void throwIfAny(std::string_view what) const {
    if (errors_.empty()) return;
    std::string detail(what);
    for (std::size_t i = 0; i < errors_.size(); ++i) detail += (i == 0 ? ": " : ", ") + errors_[i].field;
    core::Error error(core::ErrorCode::unprocessable, detail);
    for (const auto& e : errors_) error.addFieldError(e.field, e.message);
    throw error;
  }

 private:
  std::vector<core::FieldError> errors_;
};

bool isBlank(const std::optional<std::string>& raw) {
  return !raw || trim(*raw).empty();
}

// The trimmed text, or nullopt after recording why it is not acceptable.
std::optional<std::string> cleanText(FieldErrors& errors, std::string_view field, std::string_view raw,
                                     std::size_t maxLength, bool allowNewline = false) {
  if (!isValidUtf8(raw)) {
    errors.add(field, "must be valid UTF-8 text");
    return std::nullopt;
  }
  std::string text = trim(raw);
  if (hasControlCharacters(text, allowNewline)) {
    errors.add(field, allowNewline ? "must not contain control characters other than line breaks"
                                   : "must not contain control characters or line breaks");
    return std::nullopt;
  }
  if (codePoints(text) > maxLength) {
    errors.add(field, "must be at most " + std::to_string(maxLength) + " characters");
    return std::nullopt;
  }
  return text;
}

std::string requiredText(FieldErrors& errors, std::string_view field, const std::optional<std::string>& raw,
                         std::size_t maxLength) {
  if (isBlank(raw)) {
    errors.add(field, raw ? "must not be empty" : "is required");
    return {};
  }
  return cleanText(errors, field, *raw, maxLength).value_or(std::string{});
}

std::optional<LocalDate> dateField(FieldErrors& errors, std::string_view field, const std::optional<std::string>& raw,
                                   bool required) {
  if (isBlank(raw)) {
    if (required) errors.add(field, "is required");
    return std::nullopt;
  }
  try {
    return core::parseDate(trim(*raw));
  } catch (const core::Error&) {
    errors.add(field, "must be a date YYYY-MM-DD that exists in the calendar, years 0001 to 9999");
    return std::nullopt;
  }
}

// Whole years from `birth` to `on`; someone born on 29 February turns a year
// older on 1 March in common years.
int ageOn(LocalDate birth, LocalDate on) {
  const date::year_month_day b{birth};
  const date::year_month_day o{on};
  int years = static_cast<int>(o.year()) - static_cast<int>(b.year());
  if (date::month_day{o.month(), o.day()} < date::month_day{b.month(), b.day()}) --years;
  return years;
}

bool isEmailSpecial(char c) {
  constexpr std::string_view specials = "()<>[]:;,\"\\ ";
  return specials.find(c) != std::string_view::npos;
}

// A deliberately plain shape check: the address is confirmed by using it, not
// by parsing RFC 5322 (quoted local parts are refused; they also keep mail
// headers simple). Non-ASCII (internationalised) addresses pass.
bool looksLikeEmail(std::string_view text) {
  const std::size_t at = text.find('@');
  if (at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos) return false;
  const std::string_view local = text.substr(0, at);
  const std::string_view domain = text.substr(at + 1);
  if (local.empty() || local.size() > kMaxEmailLocalBytes) return false;
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return false;
  }
  return std::none_of(text.begin(), text.end(), isEmailSpecial);
}

std::optional<std::string> emailField(FieldErrors& errors, const std::optional<std::string>& raw) {
  if (isBlank(raw)) return std::nullopt;
  std::string text = trim(*raw);
  if (!isValidUtf8(text)) {
    errors.add("email", "must be valid UTF-8 text");
  } else if (text.size() > kMaxEmailBytes) {
    errors.add("email", "must be at most " + std::to_string(kMaxEmailBytes) + " characters");
  } else if (hasControlCharacters(text, false) || !looksLikeEmail(text)) {
    errors.add("email", "must be an e-mail address like name@example.org");
  } else {
    return text;
  }
  return std::nullopt;
}

std::optional<std::string> phoneField(FieldErrors& errors, const std::optional<std::string>& raw) {
  if (isBlank(raw)) return std::nullopt;
  std::string text = trim(*raw);
  constexpr std::string_view allowed = "0123456789 +-().";
  const auto digits =
      static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }));
  if (text.size() > kMaxPhoneLength) {
    errors.add("phone", "must be at most " + std::to_string(kMaxPhoneLength) + " characters");
  } else if (text.find_first_not_of(allowed) != std::string::npos) {
    errors.add("phone", "may contain only digits, spaces and + - ( ) .");
  } else if (digits < kMinPhoneDigits) {
    errors.add("phone", "must contain at least " + std::to_string(kMinPhoneDigits) + " digits");
  } else {
    return text;
  }
  return std::nullopt;
}

// Browsers send a textarea's line breaks as CRLF; we keep LF only.
std::string withUnixLineBreaks(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out.push_back(text[i]);
  }
  return out;
}

std::optional<std::string> addressField(FieldErrors& errors, const std::optional<std::string>& raw) {
  if (isBlank(raw)) return std::nullopt;
  return cleanText(errors, "address", withUnixLineBreaks(*raw), kMaxAddressLength, true);
}

std::string languageField(FieldErrors& errors, const std::optional<std::string>& raw) {
  if (isBlank(raw)) return std::string(kDefaultLanguage);
  std::string text = trim(*raw);
  if (text != "fr" && text != "en") errors.add("language", "must be \"fr\" or \"en\"");
  return text;
}

std::string sourceField(FieldErrors& errors, const std::optional<std::string>& raw) {
  if (isBlank(raw)) return std::string(kDefaultSource);
  return cleanText(errors, "referral.source", *raw, kMaxSourceLength).value_or(std::string{});
}

}  // namespace

Referral validateReferral(const ReferralInput& in, LocalDate today) {
  FieldErrors errors;
  Referral out;
  out.givenName = requiredText(errors, "given_name", in.givenName, kMaxNameLength);
  out.familyName = requiredText(errors, "family_name", in.familyName, kMaxNameLength);

  const auto birthDate = dateField(errors, "birth_date", in.birthDate, true);
  const auto referredOn = dateField(errors, "referral.referred_on", in.referredOn, true);
  const auto offenceOn = dateField(errors, "referral.offence_on", in.offenceOn, false);

  if (birthDate) {
    if (*birthDate > today) {
      errors.add("birth_date", "must not be in the future");
    } else if (referredOn && ageOn(*birthDate, *referredOn) < kMinAgeAtReferral) {
      errors.add("birth_date", "the person must be at least " + std::to_string(kMinAgeAtReferral) +
                                   " years old on the referral date");
    } else if (referredOn && ageOn(*birthDate, *referredOn) > kMaxAgeAtReferral) {
      errors.add("birth_date",
                 "the person must be at most " + std::to_string(kMaxAgeAtReferral) + " years old on the referral date");
    }
    out.birthDate = *birthDate;
  }

  out.email = emailField(errors, in.email);
  out.phone = phoneField(errors, in.phone);
  out.address = addressField(errors, in.address);
  out.language = languageField(errors, in.language);
  out.source = sourceField(errors, in.source);
  out.reference = requiredText(errors, "referral.reference", in.reference, kMaxReferenceLength);

  if (referredOn) {
    if (*referredOn > today) errors.add("referral.referred_on", "must not be in the future");
    out.referredOn = *referredOn;
  }
  if (offenceOn) {
    if (referredOn && *offenceOn > *referredOn) {
      errors.add("referral.offence_on", "must not be after the referral date");
    } else if (*offenceOn > today) {
      errors.add("referral.offence_on", "must not be in the future");
    }
    out.offenceOn = *offenceOn;
  }

  errors.throwIfAny("the referral has invalid fields");
  return out;
}

Commitment validateCommitment(std::optional<bool> acknowledged, const std::optional<std::string>& signedOn,
                              const std::optional<std::string>& method, LocalDate today, LocalDate referredOn) {
  FieldErrors errors;
  Commitment out;

  if (acknowledged != true) {
    errors.add("acknowledged_responsibility", "the commitment must acknowledge responsibility");
  }
  out.acknowledgedResponsibility = true;

  if (const auto day = dateField(errors, "signed_on", signedOn, true)) {
    if (*day > today) {
      errors.add("signed_on", "must not be in the future");
    } else if (*day < referredOn) {
      errors.add("signed_on", "must not be before the referral date");
    }
    out.signedOn = *day;
  }

  std::string allowed;
  for (const std::string_view m : kCommitmentMethods) allowed += (allowed.empty() ? "" : ", ") + std::string(m);
  if (isBlank(method)) {
    errors.add("method", "is required: one of " + allowed);
  } else {
    out.method = trim(*method);
    if (std::find(kCommitmentMethods.begin(), kCommitmentMethods.end(), out.method) == kCommitmentMethods.end()) {
      errors.add("method", "must be one of " + allowed);
    }
  }

  errors.throwIfAny("the commitment has invalid fields");
  return out;
}

}  // namespace parcours::participants
