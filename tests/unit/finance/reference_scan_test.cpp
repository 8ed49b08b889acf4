#include "finance/reference_scan.h"

#include <catch2/catch.hpp>

using namespace parcours::finance;

TEST_CASE("an installment reference is found however it was typed") {
  const std::string ref = parcours::participants::makeReference("P-7K3Q9X", 2);
  for (const std::string& text : {"Virement Interac " + ref + " merci", "msg: p7k3q9x-2-" + ref.substr(ref.size() - 1),
                                 "REF P 7K3Q9X 2 " + ref.substr(ref.size() - 1)}) {
    const auto found = scanReferences(text);
    REQUIRE(found.installments.size() == 1);
    CHECK(found.installments.front() == parcours::participants::ReadReference{"P-7K3Q9X", 2});
    CHECK(found.participantCodes == std::vector<std::string>{"P-7K3Q9X"});
  }
}

TEST_CASE("a reference whose check fails names its participant, not an installment") {
  const std::string good = parcours::participants::makeReference("P-7K3Q9X", 3);
  std::string bad = good;
  bad.back() = bad.back() == 'A' ? 'B' : 'A';
  const auto found = scanReferences("e-Transfer " + bad);
  CHECK(found.installments.empty());
  REQUIRE(found.uncertain.size() == 1);
  CHECK(found.uncertain.front().writtenCode == "P-7K3Q9X");
  CHECK(found.allCodes().front() == "P-7K3Q9X");
}

TEST_CASE("bare participant codes and document numbers are found") {
  const auto found = scanReferences("cheque P-7K3Q9X re: facture F-2026-00012, recu R2026 00007");
  CHECK(found.participantCodes == std::vector<std::string>{"P-7K3Q9X"});
  CHECK(found.documentNumbers == std::vector<std::string>{"F-2026-00012", "R-2026-00007"});
}

TEST_CASE("ordinary words are not references") {
  for (const char* text : {"PAIEMENT FACTURE HYDRO", "Virement Interac recu de JEAN TREMBLAY", "DEPOT 000123",
                           "PRELEVEMENT PREAUTORISE", "", "   ---   "}) {
    const auto found = scanReferences(text);
    CHECK(found.empty());
    CHECK(found.installments.empty());
  }
}

TEST_CASE("a reference whose check fails lists the references one typo or swap away") {
  const std::string meant = parcours::participants::makeReference("P-7K3Q9X", 2);
  std::string typo = meant;
  typo[2] = typo[2] == 'K' ? 'M' : 'K';  // one symbol of the code mistyped
  const auto found = scanReferences("Interac " + typo);
  REQUIRE(found.uncertain.size() == 1);
  CHECK(found.installments.empty());
  const auto& nearby = found.uncertain.front().nearby;
  CHECK(std::find(nearby.begin(), nearby.end(), parcours::participants::ReadReference{"P-7K3Q9X", 2}) !=
        nearby.end());
  const auto codes = found.allCodes();
  CHECK(std::find(codes.begin(), codes.end(), "P-7K3Q9X") != codes.end());
  CHECK(std::find(codes.begin(), codes.end(), found.uncertain.front().writtenCode) != codes.end());
}
