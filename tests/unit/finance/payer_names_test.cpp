#include "finance/payer_names.h"

#include <catch2/catch.hpp>

using parcours::finance::payerNamePairs;
using Pairs = std::vector<std::string>;

TEST_CASE("a payer's name is found among banking words, digits and their message") {
  CHECK(payerNamePairs("E-TRANSFER DEPOSIT JEAN TREMBLAY") == Pairs{"jean tremblay"});
  CHECK(payerNamePairs("Virement Interac reçu / Jean Tremblay / merci P7K3Q9X-2-M") == Pairs{"jean tremblay"});
  CHECK(payerNamePairs("JEAN-FRANÇOIS LEBLANC 2026-11-03") == Pairs{"jean francois", "francois leblanc"});
}

TEST_CASE("the same payer gives the same first pair whatever their message") {
  const auto a = payerNamePairs("MARIE PAYEUSE sans reference");
  const auto b = payerNamePairs("Marie Payeuse merci");
  REQUIRE(!a.empty());
  REQUIRE(!b.empty());
  CHECK(a.front() == b.front());
}

TEST_CASE("no name, no pairs") {
  CHECK(payerNamePairs("").empty());
  CHECK(payerNamePairs("DEPOT 000123").empty());
  CHECK(payerNamePairs("FRAIS MENSUELS").size() <= 1);
  CHECK(payerNamePairs("\xff\xfe invalid").empty());
}
