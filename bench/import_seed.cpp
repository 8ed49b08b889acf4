#include "bench/import_seed.h"

#include <algorithm>
#include <cstdio>

#include "participants/payment_reference.h"
#include "participants/pseudonym.h"

namespace parcours::bench {

namespace {

constexpr std::int64_t kRowsPerInsert = 200;
constexpr std::int64_t kFeeCents = 2 * kInstallmentCents;

// "(?, ?, ?), (?, ?, ?)" for `rows` rows of `columns` values.
std::string rowsOf(std::int64_t rows, int columns) {
  std::string one = "(";
  for (int c = 0; c < columns; ++c) one += c == 0 ? "?" : ", ?";
  one += ")";
  std::string all;
  for (std::int64_t r = 0; r < rows; ++r) all += (r == 0 ? "" : ", ") + one;
  return all;
}

storage::Value sealed(const identity::KeyFileCipher& cipher, const std::string& text, const char* column,
                      std::int64_t id) {
  return storage::Blob{cipher.encrypt(text, std::string("participants.") + column, id)};
}

void insertParticipantRows(storage::Transaction& tx, const identity::KeyFileCipher& cipher, std::int64_t from,
                           std::int64_t n, core::Instant now, core::LocalDate today, bool firstPaid) {
  storage::Params people, accounts, entries, installments;
  for (std::int64_t i = from; i < from + n; ++i) {
    const std::int64_t id = idOf(i);
    char key[65];
    std::snprintf(key, sizeof key, "%064llx", static_cast<unsigned long long>(id));
    for (auto v : {storage::Value(id), storage::Value(codeOf(i)), storage::Value(std::string("enrolled")),
                   storage::Value(std::string("fr")), sealed(cipher, "Camille", "given_name", id),
                   sealed(cipher, "Payeur " + std::to_string(i), "family_name", id),
                   sealed(cipher, "1990-01-01", "birth_date", id), storage::Value(std::string("DPCP")),
                   sealed(cipher, "BENCH-" + std::to_string(i), "referral_reference", id),
                   storage::Value(today - date::days{90}), storage::Value(std::string(key)),
                   storage::Value(std::int64_t{1}), storage::Value(now), storage::Value(now)}) {
      people.push_back(std::move(v));
    }
    for (auto v :
         {storage::Value(id), storage::Value(kFeeCents), storage::Value(std::string("CAD")), storage::Value(now)}) {
      accounts.push_back(std::move(v));
    }
    for (auto v :
         {storage::Value(id), storage::Value(std::string("charge")), storage::Value(kFeeCents),
          storage::Value(std::string("CAD")), storage::Value("F-2026-B" + std::to_string(i)), storage::Value(now)}) {
      entries.push_back(std::move(v));
    }
    for (auto v : {storage::Value(id), storage::Value(std::int64_t{1}), storage::Value(today - date::days{40}),
                   storage::Value(kInstallmentCents), storage::Value(firstPaid ? kInstallmentCents : 0),
                   storage::Value(std::int64_t{0}), storage::Value(id), storage::Value(std::int64_t{2}),
                   storage::Value(today + date::days{20}), storage::Value(kInstallmentCents),
                   storage::Value(std::int64_t{0}), storage::Value(std::int64_t{0})}) {
      installments.push_back(std::move(v));
    }
  }
  tx.execute(
      "INSERT INTO participants (id, code, status, language, given_name_enc, family_name_enc, birth_date_enc,"
      " referral_source, referral_reference_enc, referred_on, person_key, ever_enrolled, created_at, updated_at)"
      " VALUES " +
          rowsOf(n, 14),
      people);
  tx.execute("INSERT INTO accounts (participant_id, fee_cents, currency, created_at) VALUES " + rowsOf(n, 4), accounts);
  tx.execute(
      "INSERT INTO ledger_entries (participant_id, kind, amount_cents, currency, document_number, created_at)"
      " VALUES " +
          rowsOf(n, 6),
      entries);
  tx.execute("INSERT INTO installments (participant_id, seq, due_on, amount_cents, paid_cents, replaced) VALUES " +
                 rowsOf(2 * n, 6),
             installments);
}

}  // namespace

std::string codeOf(std::int64_t index) {
  // A bijection of 0..30^6-1 (7919 is prime to 30), so neighbours do not look alike.
  constexpr std::int64_t kSpace = 30LL * 30 * 30 * 30 * 30 * 30;
  std::int64_t value = (index * 7919 + 12345) % kSpace;
  std::string code(2 + participants::kCodeLength, 'P');
  code[1] = '-';
  for (std::size_t i = 0; i < participants::kCodeLength; ++i) {
    code[2 + i] = participants::kCodeAlphabet[static_cast<std::size_t>(value % 30)];
    value /= 30;
  }
  return code;
}

void seedParticipants(storage::Database& db, const identity::KeyFileCipher& cipher, std::int64_t from,
                      std::int64_t count, bool firstPaid, core::LocalDate today) {
  const core::Instant now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  for (std::int64_t at = from; at < from + count; at += 20 * kRowsPerInsert) {
    db.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
      for (std::int64_t b = at; b < std::min(from + count, at + 20 * kRowsPerInsert); b += kRowsPerInsert) {
        insertParticipantRows(tx, cipher, b, std::min(kRowsPerInsert, from + count - b), now, today, firstPaid);
      }
    });
  }
}

core::LocalDate dayOf(std::int64_t j, core::LocalDate today) {
  return today - date::days{1 + j % 30};
}

void seedLoosePayments(storage::Database& db, std::int64_t from, std::int64_t count, const std::string& batch,
                       core::LocalDate today) {
  const core::Instant now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  db.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    for (std::int64_t b = 0; b < count; b += kRowsPerInsert) {
      const std::int64_t n = std::min(kRowsPerInsert, count - b);
      storage::Params values;
      for (std::int64_t j = b; j < b + n; ++j) {
        for (auto v :
             {storage::Value(idOf(from + j)), storage::Value(kInstallmentCents), storage::Value(std::string("CAD")),
              storage::Value(std::string("interac")), storage::Value(dayOf(j, today) - date::days{j % 3}),
              storage::Value("R-" + batch + "-" + std::to_string(j)), storage::Value(now)}) {
          values.push_back(std::move(v));
        }
      }
      tx.execute(
          "INSERT INTO payments (participant_id, amount_cents, currency, method, received_on, receipt_number,"
          " created_at) VALUES " +
              rowsOf(n, 7),
          values);
    }
  });
}

finance::ParsedStatement buildStatement(const std::string& batch, std::int64_t from, int referenced, int seq, int total,
                                        core::LocalDate today, std::mt19937& random) {
  finance::ParsedStatement statement{"ofx", {}};
  int serial = 0;
  const auto add = [&](core::LocalDate day, std::int64_t cents, std::string description) {
    finance::StatementLine line;
    line.sourceLine = ++serial;
    line.account = "815-30800-1234567";
    line.date = day;
    line.amountCents = cents;
    line.description = std::move(description);
    line.bankId = batch + "-" + std::to_string(serial);
    statement.lines.push_back(std::move(line));
  };
  for (int j = 0; j < referenced; ++j) {
    add(dayOf(j, today), kInstallmentCents,
        "Virement Interac reçu / CAMILLE PAYEUR " + std::to_string(from + j) + " / " +
            participants::makeReference(codeOf(from + j), seq));
  }
  std::uniform_int_distribution<int> kind(0, 9);
  std::uniform_int_distribution<std::int64_t> cents(500, 300000);
  std::uniform_int_distribution<int> day(1, 30);
  for (int j = referenced; j < total; ++j) {
    const core::LocalDate on = today - date::days{day(random)};
    switch (kind(random)) {
      case 0: add(on, -1295, "FRAIS MENSUELS DU COMPTE"); break;
      case 1: add(on, -150, "FRAIS VIREMENT INTERAC"); break;
      case 2: add(on, -cents(random), "RETRAIT GAB 00" + std::to_string(j % 97)); break;
      case 3: add(on, -cents(random), "PAIEMENT FACTURE HYDRO-QUEBEC"); break;
      case 4: add(on, -cents(random), "CHEQUE NO " + std::to_string(1000 + j)); break;
      case 5: add(on, cents(random), "DEPOT PAIE ACME INC"); break;
      case 6: add(on, cents(random), "SUBVENTION MSSS QUEBEC"); break;
      case 7: add(on, cents(random), "DEPOT GAB " + std::to_string(j % 53)); break;
      case 8: add(on, cents(random), "VIREMENT DE COMPTE A COMPTE"); break;
      default: add(on, 125, "INTERETS CREDITEURS"); break;
    }
  }
  std::stable_sort(statement.lines.begin(), statement.lines.end(),
                   [](const auto& a, const auto& b) { return a.date < b.date; });
  return statement;
}

std::int64_t openInstallments(storage::Database& db) {
  return db.transact(storage::TxMode::read, [](storage::Transaction& tx) {
    return tx.query("SELECT COUNT(*) FROM installments WHERE replaced = 0 AND paid_cents < amount_cents")
        .at(0)
        .int64(0);
  });
}

}  // namespace parcours::bench
