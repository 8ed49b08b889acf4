#pragma once
// Seeding and statement building for bench/import_bench.cpp: participants
// with an account, a charge and a two-installment plan written by bulk SQL
// (fast, no documents), payments inserted as rows, and bank statements built
// in memory. Bench code only: nothing here is used by the daemon.

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/time.h"
#include "finance/statement_line.h"
#include "identity/key_file_cipher.h"
#include "storage/database.h"

namespace parcours::bench {

inline constexpr std::int64_t kInstallmentCents = 25000;  // each of the two installments of a 500.00 fee

// The code of the participant seeded at `index` ("P-" + 6 symbols): distinct
// for every index below 30^6.
std::string codeOf(std::int64_t index);
// The participant id of `index` (ids are chosen by the seeder).
inline std::int64_t idOf(std::int64_t index) {
  return index + 1;
}

// Participants [from, from + count) enrolled, with an account (fee 500.00),
// its charge in the ledger and installments 1 (due 40 days ago) and 2 (due
// in 20 days) of 250.00 each; installment 1 already paid when `firstPaid`.
// Personal fields are sealed with `cipher` as the daemon seals them (receipts
// issued for them can be rendered).
void seedParticipants(storage::Database& db, const identity::KeyFileCipher& cipher, std::int64_t from,
                      std::int64_t count, bool firstPaid, core::LocalDate today);

// One payment row per participant [from, from + count) of 250.00 by
// e-Transfer received on dayOf(j), no allocation, no receipt document (its
// number is unique): what the matcher reads of a payment recorded by hand.
void seedLoosePayments(storage::Database& db, std::int64_t from, std::int64_t count, const std::string& batch,
                       core::LocalDate today);

// The day of reference line j: within the 30 days ending yesterday.
core::LocalDate dayOf(std::int64_t j, core::LocalDate today);

// A statement of `total` lines in date order: `referenced` e-Transfers of
// 250.00 whose message is the reference of installment `seq` of participants
// [from, from + referenced), dated dayOf(j), and unrelated lines (bank fees,
// withdrawals, payroll and other deposits of random amounts). Every line has
// a bank id starting with `batch`, so statements of other batches are new.
finance::ParsedStatement buildStatement(const std::string& batch, std::int64_t from, int referenced, int seq, int total,
                                        core::LocalDate today, std::mt19937& random);

// Participants whose installments are open (not replaced, not fully paid).
std::int64_t openInstallments(storage::Database& db);

}  // namespace parcours::bench
