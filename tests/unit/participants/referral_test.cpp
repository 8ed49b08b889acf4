#include "participants/referral.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/error.h"

using parcours::core::Error;
using parcours::core::ErrorCode;
using parcours::core::FieldError;
using parcours::core::formatDate;
using parcours::core::LocalDate;
using namespace parcours::participants;

namespace {

constexpr LocalDate kToday{date::year{2027} / 3 / 16};

ReferralInput fullInput() {
  ReferralInput in;
  in.givenName = "Jean-François";
  in.familyName = "Nguyễn";
  in.birthDate = "1980-05-17";
  in.email = "jf.nguyen@example.org";
  in.phone = "+1 (514) 555-0199";
  in.address = "12 rue Principale\nLongueuil QC  J4H 1A1";
  in.language = "en";
  in.source = "DPCP";
  in.reference = "500-01-123456-271";
  in.referredOn = "2027-03-01";
  in.offenceOn = "2027-01-15";
  return in;
}

ReferralInput minimalInput() {
  ReferralInput in;
  in.givenName = "Jean";
  in.familyName = "Tremblay";
  in.birthDate = "1980-05-17";
  in.reference = "500-01-1";
  in.referredOn = "2027-03-01";
  return in;
}

// The field errors of a rejected input; fails the test if it was accepted or
// rejected with another code.
std::vector<FieldError> referralErrors(const ReferralInput& in) {
  try {
    (void)validateReferral(in, kToday);
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::unprocessable);
    return e.fieldErrors();
  }
  FAIL("the referral was accepted");
  return {};
}

std::vector<std::string> fieldsOf(const std::vector<FieldError>& errors) {
  std::vector<std::string> fields;
  fields.reserve(errors.size());
  for (const auto& e : errors) fields.push_back(e.field);
  return fields;
}

// The single error of an input that has exactly one problem.
FieldError onlyError(const ReferralInput& in) {
  const auto errors = referralErrors(in);
  REQUIRE(errors.size() == 1);
  return errors.front();
}

std::string repeat(std::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

}  // namespace

TEST_CASE("a full, valid referral is accepted as given", "[referral]") {
  const Referral r = validateReferral(fullInput(), kToday);
  CHECK(r.givenName == "Jean-François");
  CHECK(r.familyName == "Nguyễn");
  CHECK(formatDate(r.birthDate) == "1980-05-17");
  CHECK(r.email == "jf.nguyen@example.org");
  CHECK(r.phone == "+1 (514) 555-0199");
  CHECK(r.address == "12 rue Principale\nLongueuil QC  J4H 1A1");
  CHECK(r.language == "en");
  CHECK(r.source == "DPCP");
  CHECK(r.reference == "500-01-123456-271");
  CHECK(formatDate(r.referredOn) == "2027-03-01");
  REQUIRE(r.offenceOn.has_value());
  CHECK(formatDate(*r.offenceOn) == "2027-01-15");
}

TEST_CASE("defaults and blank optional fields", "[referral]") {
  SECTION("absent") {
    const Referral r = validateReferral(minimalInput(), kToday);
    CHECK(r.language == "fr");
    CHECK(r.source == "DPCP");
    CHECK_FALSE(r.email.has_value());
    CHECK_FALSE(r.phone.has_value());
    CHECK_FALSE(r.address.has_value());
    CHECK_FALSE(r.offenceOn.has_value());
  }
  SECTION("blank counts as absent") {
    ReferralInput in = minimalInput();
    in.email = "";
    in.phone = "  ";
    in.address = "\n";
    in.language = "";
    in.source = " ";
    in.offenceOn = "";
    const Referral r = validateReferral(in, kToday);
    CHECK(r.language == "fr");
    CHECK(r.source == "DPCP");
    CHECK_FALSE(r.email.has_value());
    CHECK_FALSE(r.phone.has_value());
    CHECK_FALSE(r.address.has_value());
    CHECK_FALSE(r.offenceOn.has_value());
  }
  SECTION("another source") {
    ReferralInput in = minimalInput();
    in.source = "Cour municipale";
    CHECK(validateReferral(in, kToday).source == "Cour municipale");
  }
}

TEST_CASE("text is trimmed", "[referral]") {
  ReferralInput in = minimalInput();
  in.givenName = "  Jean \t";
  in.familyName = "\nTremblay ";
  in.reference = " 500-01-1 ";
  in.email = " jean@example.org ";
  in.birthDate = " 1980-05-17 ";
  const Referral r = validateReferral(in, kToday);
  CHECK(r.givenName == "Jean");
  CHECK(r.familyName == "Tremblay");
  CHECK(r.reference == "500-01-1");
  CHECK(r.email == "jean@example.org");
}

TEST_CASE("each required field, when missing, is named", "[referral]") {
  struct Case {
    const char* field;
    std::optional<std::string> ReferralInput::*member;
  };
  const Case cases[] = {
      {"given_name", &ReferralInput::givenName},
      {"family_name", &ReferralInput::familyName},
      {"birth_date", &ReferralInput::birthDate},
      {"referral.reference", &ReferralInput::reference},
      {"referral.referred_on", &ReferralInput::referredOn},
  };
  for (const auto& c : cases) {
    CAPTURE(c.field);
    ReferralInput in = minimalInput();
    in.*c.member = std::nullopt;
    const FieldError e = onlyError(in);
    CHECK(e.field == c.field);
    CHECK(e.message == "is required");

    in.*c.member = "   ";
    CHECK(onlyError(in).field == c.field);
  }
}

TEST_CASE("names: length in characters", "[referral]") {
  ReferralInput in = minimalInput();
  SECTION("10 000 characters are refused without echoing them") {
    in.familyName = repeat("SECRETNAME", 1000);
    try {
      (void)validateReferral(in, kToday);
      FAIL("accepted");
    } catch (const Error& e) {
      REQUIRE(e.fieldErrors().size() == 1);
      CHECK(e.fieldErrors()[0].field == "family_name");
      CHECK(e.fieldErrors()[0].message == "must be at most 100 characters");
      CHECK(std::string(e.what()).find("SECRETNAME") == std::string::npos);
    }
  }
  SECTION("100 accented characters (200 bytes) pass, 101 do not") {
    in.givenName = repeat("é", 100);
    CHECK(validateReferral(in, kToday).givenName.size() == 200);
    in.givenName = repeat("é", 101);
    CHECK(onlyError(in).field == "given_name");
  }
  SECTION("a single character is enough") {
    in.givenName = "J";
    CHECK(validateReferral(in, kToday).givenName == "J");
  }
}

TEST_CASE("names: invalid UTF-8 and control characters", "[referral]") {
  ReferralInput in = minimalInput();
  SECTION("invalid UTF-8") {
    in.givenName = "Jos\xC3\x28";
    const FieldError e = onlyError(in);
    CHECK(e.field == "given_name");
    CHECK(e.message == "must be valid UTF-8 text");
  }
  SECTION("NUL inside a name") {
    in.familyName = std::string("Trem\0blay", 9);
    const FieldError e = onlyError(in);
    CHECK(e.field == "family_name");
    CHECK(e.message.find("control characters") != std::string::npos);
  }
  SECTION("a line break inside a name") {
    in.givenName = "Jean\nPaul";
    CHECK(onlyError(in).field == "given_name");
  }
  SECTION("C1 control") {
    in.givenName = "Jean\xC2\x85Paul";
    CHECK(onlyError(in).field == "given_name");
  }
}

TEST_CASE("SQL metacharacters are just text", "[referral]") {
  ReferralInput in = minimalInput();
  in.givenName = "Robert'); DROP TABLE participants;--";
  in.familyName = "O'Brien \"Bobby\" `x` \\ %_";
  in.reference = "1' OR '1'='1";
  in.source = "x'; --";
  const Referral r = validateReferral(in, kToday);
  CHECK(r.givenName == "Robert'); DROP TABLE participants;--");
  CHECK(r.familyName == "O'Brien \"Bobby\" `x` \\ %_");
  CHECK(r.reference == "1' OR '1'='1");
  CHECK(r.source == "x'; --");
}

TEST_CASE("language is fr or en, exactly", "[referral]") {
  ReferralInput in = minimalInput();
  in.language = "fr";
  CHECK(validateReferral(in, kToday).language == "fr");
  for (const char* bad : {"de", "FR", "french", "fr-CA", "e"}) {
    CAPTURE(bad);
    in.language = bad;
    const FieldError e = onlyError(in);
    CHECK(e.field == "language");
    CHECK(e.message == "must be \"fr\" or \"en\"");
  }
}

TEST_CASE("birth date: format, future, age at referral", "[referral]") {
  ReferralInput in = minimalInput();  // referred on 2027-03-01, today 2027-03-16
  SECTION("malformed or impossible dates") {
    for (const char* bad : {"2027-02-30", "0000-01-01", "10000-01-01", "1980-13-01", "1980-5-17", "17/05/1980",
                            "1980-05-17T00:00:00Z", "yesterday", "1981-02-29"}) {
      CAPTURE(bad);
      in.birthDate = bad;
      const FieldError e = onlyError(in);
      CHECK(e.field == "birth_date");
      CHECK(e.message.find("YYYY-MM-DD") != std::string::npos);
    }
  }
  SECTION("in the future") {
    in.birthDate = "2027-03-17";
    const FieldError e = onlyError(in);
    CHECK(e.field == "birth_date");
    CHECK(e.message == "must not be in the future");
  }
  SECTION("16 on the referral day is old enough; a day younger is not") {
    in.birthDate = "2011-03-01";
    CHECK_NOTHROW(validateReferral(in, kToday));
    in.birthDate = "2011-03-02";
    const FieldError e = onlyError(in);
    CHECK(e.field == "birth_date");
    CHECK(e.message.find("at least 16") != std::string::npos);
  }
  SECTION("120 is the plausible maximum") {
    in.birthDate = "1906-03-02";  // 120 on 2027-03-01
    CHECK_NOTHROW(validateReferral(in, kToday));
    in.birthDate = "1906-03-01";  // 121
    CHECK(onlyError(in).message.find("at most 120") != std::string::npos);
    in.birthDate = "0001-01-01";
    CHECK(onlyError(in).field == "birth_date");
  }
  SECTION("born on 29 February") {
    in.birthDate = "2008-02-29";
    in.referredOn = "2024-02-28";  // still 15
    CHECK(onlyError(in).field == "birth_date");
    in.referredOn = "2024-02-29";  // 16 that day
    CHECK_NOTHROW(validateReferral(in, kToday));
  }
}

TEST_CASE("referral dates", "[referral]") {
  ReferralInput in = minimalInput();
  SECTION("referred today is fine, tomorrow is not") {
    in.referredOn = "2027-03-16";
    CHECK_NOTHROW(validateReferral(in, kToday));
    in.referredOn = "2027-03-17";
    const FieldError e = onlyError(in);
    CHECK(e.field == "referral.referred_on");
    CHECK(e.message == "must not be in the future");
  }
  SECTION("malformed referral date") {
    in.referredOn = "2027-02-29";
    CHECK(onlyError(in).field == "referral.referred_on");
  }
  SECTION("offence on the referral day is fine, after it is not") {
    in.offenceOn = "2027-03-01";
    CHECK_NOTHROW(validateReferral(in, kToday));
    in.offenceOn = "2027-03-02";
    const FieldError e = onlyError(in);
    CHECK(e.field == "referral.offence_on");
    CHECK(e.message == "must not be after the referral date");
  }
  SECTION("malformed offence date") {
    in.offenceOn = "10000-01-01";
    CHECK(onlyError(in).field == "referral.offence_on");
  }
}

TEST_CASE("email", "[referral]") {
  ReferralInput in = minimalInput();
  for (const char* good : {"a@b.ca", "jean.tremblay+parcours@example.org", "josé@exemple.québec"}) {
    CAPTURE(good);
    in.email = good;
    CHECK(validateReferral(in, kToday).email == good);
  }
  for (const char* bad :
       {"jean", "@example.org", "jean@", "jean@localhost", "jean@@example.org", "a@b@example.org", "jean@.example.org",
        "jean@example.org.", "jean@example..org", "jean tremblay@example.org", "jean@example.org\r\nBcc: x@y.z",
        "<jean@example.org>", "\"jean\"@example.org", "jean@exa\xC3\x28mple.org"}) {
    CAPTURE(bad);
    in.email = bad;
    CHECK(onlyError(in).field == "email");
  }
  in.email = repeat("a", 64) + "@example.org";
  CHECK_NOTHROW(validateReferral(in, kToday));
  in.email = repeat("a", 65) + "@example.org";
  CHECK(onlyError(in).field == "email");
  in.email = "jean@" + repeat("a", 245) + ".org";  // 254 bytes
  CHECK_NOTHROW(validateReferral(in, kToday));
  in.email = "jean@" + repeat("a", 246) + ".org";  // 255
  CHECK(onlyError(in).message == "must be at most 254 characters");
}

TEST_CASE("phone", "[referral]") {
  ReferralInput in = minimalInput();
  for (const char* good : {"514-555-0199", "+1 (514) 555-0199", "514.555.0199", "5550199"}) {
    CAPTURE(good);
    in.phone = good;
    CHECK(validateReferral(in, kToday).phone == good);
  }
  for (const char* bad : {"555-019", "call me", "514-555-0199 ext 2", "514/555/0199", "+1 514 555 0199 #"}) {
    CAPTURE(bad);
    in.phone = bad;
    CHECK(onlyError(in).field == "phone");
  }
  in.phone = repeat("1", 32);
  CHECK_NOTHROW(validateReferral(in, kToday));
  in.phone = repeat("1", 33);
  CHECK(onlyError(in).message == "must be at most 32 characters");
}

TEST_CASE("address", "[referral]") {
  ReferralInput in = minimalInput();
  SECTION("line breaks are kept, CRLF becomes LF") {
    in.address = "12 rue Principale\r\nLongueuil QC\r\n";
    CHECK(validateReferral(in, kToday).address == "12 rue Principale\nLongueuil QC");
  }
  SECTION("other control characters are refused") {
    in.address = "12 rue\tPrincipale";
    CHECK(onlyError(in).field == "address");
    in.address = "12 rue\rPrincipale";
    CHECK(onlyError(in).field == "address");
    in.address = std::string("12 rue\0", 7) + "x";
    CHECK(onlyError(in).field == "address");
  }
  SECTION("500 characters at most") {
    in.address = repeat("è", 500);
    CHECK_NOTHROW(validateReferral(in, kToday));
    in.address = repeat("è", 501);
    CHECK(onlyError(in).message == "must be at most 500 characters");
  }
  SECTION("invalid UTF-8") {
    in.address = "12 rue \xFF";
    CHECK(onlyError(in).message == "must be valid UTF-8 text");
  }
}

TEST_CASE("source and reference lengths", "[referral]") {
  ReferralInput in = minimalInput();
  in.source = repeat("S", 50);
  CHECK_NOTHROW(validateReferral(in, kToday));
  in.source = repeat("S", 51);
  CHECK(onlyError(in).field == "referral.source");

  in = minimalInput();
  in.reference = repeat("R", 100);
  CHECK_NOTHROW(validateReferral(in, kToday));
  in.reference = repeat("R", 101);
  CHECK(onlyError(in).field == "referral.reference");
  in.reference = std::string("500\0", 4);
  CHECK(onlyError(in).field == "referral.reference");
}

TEST_CASE("several errors are reported together", "[referral]") {
  ReferralInput in = fullInput();
  in.givenName = std::nullopt;
  in.familyName = "\xC3\x28";
  in.email = "not-an-email";
  in.language = "de";
  in.referredOn = "2027-04-01";
  in.offenceOn = "2027-04-02";
  try {
    (void)validateReferral(in, kToday);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::unprocessable);
    CHECK(fieldsOf(e.fieldErrors()) == std::vector<std::string>{"given_name", "family_name", "email", "language",
                                                                "referral.referred_on", "referral.offence_on"});
    CHECK(std::string(e.what()) ==
          "the referral has invalid fields: given_name, family_name, email, language, referral.referred_on, "
          "referral.offence_on");
  }
}

// ---------------------------------------------------------------------------
// Commitment

namespace {

constexpr LocalDate kReferredOn{date::year{2027} / 3 / 1};

std::vector<FieldError> commitmentErrors(std::optional<bool> acknowledged, const std::optional<std::string>& signedOn,
                                         const std::optional<std::string>& method) {
  try {
    (void)validateCommitment(acknowledged, signedOn, method, kToday, kReferredOn);
  } catch (const Error& e) {
    CHECK(e.code() == ErrorCode::unprocessable);
    return e.fieldErrors();
  }
  FAIL("the commitment was accepted");
  return {};
}

}  // namespace

TEST_CASE("a valid commitment", "[commitment]") {
  for (const std::string_view method : kCommitmentMethods) {
    const Commitment c = validateCommitment(true, "2027-03-10", std::string(method), kToday, kReferredOn);
    CHECK(c.acknowledgedResponsibility);
    CHECK(formatDate(c.signedOn) == "2027-03-10");
    CHECK(c.method == method);
  }
  CHECK_NOTHROW(validateCommitment(true, "2027-03-01", "paper", kToday, kReferredOn));  // the referral day
  CHECK_NOTHROW(validateCommitment(true, "2027-03-16", "paper", kToday, kReferredOn));  // today
}

TEST_CASE("the commitment must acknowledge responsibility", "[commitment]") {
  for (const std::optional<bool> acknowledged : {std::optional<bool>{false}, std::optional<bool>{}}) {
    const auto errors = commitmentErrors(acknowledged, "2027-03-10", "paper");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "acknowledged_responsibility");
    CHECK(errors[0].message == "the commitment must acknowledge responsibility");
  }
}

TEST_CASE("the signature date", "[commitment]") {
  auto only = [](const std::optional<std::string>& signedOn) {
    const auto errors = commitmentErrors(true, signedOn, "paper");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "signed_on");
    return errors[0].message;
  };
  CHECK(only(std::nullopt) == "is required");
  CHECK(only("2027-03-17") == "must not be in the future");
  CHECK(only("2027-02-28") == "must not be before the referral date");
  CHECK(only("2027-02-30").find("YYYY-MM-DD") != std::string::npos);
  CHECK(only("16/03/2027").find("YYYY-MM-DD") != std::string::npos);
}

TEST_CASE("the signature method", "[commitment]") {
  for (const std::optional<std::string>& method :
       {std::optional<std::string>{"fax"}, std::optional<std::string>{"Paper"}, std::optional<std::string>{}}) {
    const auto errors = commitmentErrors(true, "2027-03-10", method);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].field == "method");
    CHECK(errors[0].message.find("paper, electronic, in_person") != std::string::npos);
  }
}

TEST_CASE("every commitment problem is reported together", "[commitment]") {
  const auto errors = commitmentErrors(false, "2030-01-01", "smoke signal");
  CHECK(fieldsOf(errors) == std::vector<std::string>{"acknowledged_responsibility", "signed_on", "method"});
}
