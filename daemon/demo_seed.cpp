#include "daemon/demo_seed.h"

#include <iostream>

#include "daemon/open_database.h"
#include "daemon/schema.h"
#include "daemon/services.h"
#include "identity/secure_random.h"
#include "participants/payment_reference.h"
#include "storage/migrations.h"

namespace parcours::daemon {

namespace {

using core::LocalDate;
using core::LocalTime;

const identity::AuditContext kSeed{std::nullopt, "cli-demo-seed"};

LocalTime at(int hour, int minute = 0) {
  return LocalTime{hour * 60 + minute};
}

// True when the database holds anything but administrators.
bool holdsData(storage::Database& database) {
  return database.transact(storage::TxMode::read, [](storage::Transaction& tx) {
    for (const char* sql : {"SELECT 1 FROM participants LIMIT 1", "SELECT 1 FROM practitioners LIMIT 1",
                            "SELECT 1 FROM payments LIMIT 1", "SELECT 1 FROM users WHERE role <> 'admin' LIMIT 1"}) {
      if (tx.queryOne(sql)) return true;
    }
    return false;
  });
}

std::string demoPassword() {
  std::string password = "demo-";
  for (const unsigned char byte : identity::randomBytes(9)) {
    password += "0123456789abcdefghjkmnpqrstvwxyz"[byte % 32];
  }
  return password;
}

class Seeder {
 public:
  Seeder(api::AppContext& app) : app_(app), today_(core::localDateOf(app.clock.now(), app.programZone)) {}

  DemoUser user(identity::Role role, const std::string& name, const std::string& email,
                std::optional<core::ParticipantId> participant = std::nullopt,
                std::optional<core::PractitionerId> practitioner = std::nullopt) {
    identity::NewUser user;
    user.email = email;
    user.displayName = name;
    user.role = role;
    user.password = demoPassword();
    user.participantId = participant;
    user.practitionerId = practitioner;
    user.mustChangePassword = false;  // demo users: their printed passwords are meant to be used as they are
    app_.identity.createUser(user, kSeed);
    return {std::string(identity::toString(role)), email, *user.password};
  }

  core::PractitionerId practitioner(const std::string& name, const std::string& discipline, const std::string& email) {
    scheduler::NewPractitioner input;
    input.displayName = name;
    input.discipline = discipline;
    input.email = email;
    const auto created = app_.practitioners.create(input, kSeed);
    std::vector<scheduler::WeeklyWindow> week;
    for (const auto day : {date::Monday, date::Tuesday, date::Wednesday, date::Thursday, date::Friday}) {
      week.push_back({day, at(9), at(17)});
    }
    app_.scheduling.setAvailability(created.id, week, kSeed);
    return created.id;
  }

  participants::ParticipantView referred(const std::string& given, const std::string& family, int daysAgo,
                                         const std::string& language = "fr") {
    participants::ReferralInput input;
    input.givenName = given;
    input.familyName = family;
    input.birthDate = "1979-05-14";
    input.email = "participant." + std::to_string(++serial_) + "@demo.parcours.local";
    input.language = language;
    input.reference = "DÉMO-" + std::to_string(1000 + serial_);
    input.referredOn = core::formatDate(today_ - date::days{daysAgo});
    ++participants_;
    return app_.participants.refer(input, kSeed);
  }

  void decide(core::ParticipantId id, bool eligible) {
    participants::EligibilityDecision decision;
    decision.decision = eligible ? participants::ProsecutorDecision::eligible
                                 : participants::ProsecutorDecision::ineligible;
    decision.historyOfViolence = !eligible;
    app_.participants.decideEligibility(id, decision, kSeed);
  }

  void commit(core::ParticipantId id, int daysAgo, bool consent) {
    app_.participants.commit(id, true, core::formatDate(today_ - date::days{daysAgo}), std::string("paper"), kSeed,
                             consent);
  }

  // A monthly plan whose first installment fell due `daysAgo` days ago.
  void paymentPlan(core::ParticipantId id, int installments, int daysAgo) {
    billing::PlanRequest plan{installments, today_ - date::days{daysAgo}, billing::Frequency::monthly};
    app_.database.transact(storage::TxMode::write,
                           [&](storage::Transaction& tx) { app_.billing.setPaymentPlanIn(tx, id, plan, kSeed); });
  }

  core::PaymentId pay(core::ParticipantId id, std::int64_t cents, const std::string& method, int daysAgo) {
    billing::PaymentInput input;
    input.participantId = id;
    input.amount = core::Money(cents, app_.billing.options().fee.currency());
    input.method = method;
    input.receivedOn = today_ - date::days{daysAgo};
    return app_.database.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
      return app_.billing.recordPaymentIn(tx, input, kSeed).id;
    });
  }

  // A therapy plan of `weeks` weeks from next Monday.
  void therapy(core::ParticipantId id, core::PractitionerId practitioner, int weeks) {
    scheduler::PlanInput plan;
    plan.practitionerId = practitioner;
    plan.weeks = weeks;
    plan.startOn = nextMonday();
    app_.scheduling.prepareCalendars(practitioner, id);
    app_.database.transact(storage::TxMode::write,
                           [&](storage::Transaction& tx) { app_.scheduling.placePlanIn(tx, id, plan, kSeed); });
  }

  void awarenessDay(const std::vector<core::ParticipantId>& seated) {
    const LocalDate day = nextMonday() + date::days{12};  // a Saturday
    const auto created = app_.awarenessDays.create(core::requireInstant(day, at(9), app_.programZone), 360, 20,
                                                   "Salle démo, 100 rue Exemple", {"Intervenante démo"}, kSeed);
    for (const auto participant : seated) {
      app_.awarenessDays.prepareSeat(created.id, participant);
      app_.database.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
        app_.awarenessDays.seatIn(tx, created.id, participant, kSeed);
      });
    }
  }

  LocalDate today() const { return today_; }
  int participants() const { return participants_; }
  api::AppContext& app() { return app_; }

 private:
  LocalDate nextMonday() const {
    LocalDate day = today_ + date::days{1};
    while (date::weekday{day} != date::Monday) day += date::days{1};
    return day;
  }

  api::AppContext& app_;
  LocalDate today_;
  int serial_ = 0;
  int participants_ = 0;
};

// A bank statement as the bank would send it: an e-Transfer that carries its
// reference, one with a typo in the check character, one that pays more
// than is owed (for the review queue), one without a reference, the deposit
// of two cheques, and the month's fee.
finance::ParsedStatement demoStatement(Seeder& seed, const participants::ParticipantView& payer,
                                       const participants::ParticipantView& other, std::int64_t installmentCents,
                                       std::int64_t depositCents) {
  finance::ParsedStatement statement;
  statement.format = "demo";
  const auto line = [&](int daysAgo, std::int64_t cents, std::string description, std::string reference) {
    finance::StatementLine l;
    l.sourceLine = static_cast<int>(statement.lines.size()) + 1;
    l.account = "815-30123-EOP (démo)";
    l.date = seed.today() - date::days{daysAgo};
    l.amountCents = cents;
    l.description = std::move(description);
    l.reference = std::move(reference);
    l.sequence = std::to_string(l.sourceLine);
    statement.lines.push_back(l);
  };
  line(3, installmentCents, "Virement Interac reçu / " + payer.givenName + " " + payer.familyName,
       participants::makeReference(payer.code, 1));
  std::string typo = participants::makeReference(other.code, 1);
  typo.back() = typo.back() == 'A' ? 'B' : 'A';
  line(2, installmentCents, "Virement Interac reçu / " + other.givenName + " " + other.familyName, typo);
  line(2, 99900, "Virement Interac reçu / " + payer.givenName + " " + payer.familyName + " (tout d'un coup)",
       participants::makeReference(payer.code, 2));
  line(2, 12500, "Virement Interac reçu / Démo Payeur Inconnu", "merci");
  line(1, depositCents, "Dépôt au comptoir", "");
  line(1, -1295, "Frais mensuels du compte", "");
  return statement;
}

}  // namespace

int seedInto(const Settings& settings, storage::Database& database);

int seedDemo(const Settings& settings) {
  auto database = openDatabase(settings.text("database"), 2);
  storage::migrate(*database, allMigrations());
  if (holdsData(*database)) {
    std::cerr << "parcoursd: demo seed goes only into a new database; this one already holds data (nothing written)\n";
    return 1;
  }
  try {
    return seedInto(settings, *database);
  } catch (const core::Error& e) {
    std::string detail = e.what();
    for (const auto& f : e.fieldErrors()) detail += "; " + f.field + ": " + f.message;
    throw core::Error(e.code(), "the demo seed stopped half-way (" + detail +
                                    "): remove this new database and run it again");
  }
}

int seedInto(const Settings& settings, storage::Database& database) {
  Services services(settings, database);
  Seeder seed(services.app());
  std::vector<DemoUser> users;
  users.push_back(seed.user(identity::Role::coordinator, "Coordination (démo)", "coordination@demo.parcours.local"));
  users.push_back(seed.user(identity::Role::finance, "Finances (démo)", "finances@demo.parcours.local"));
  users.push_back(seed.user(identity::Role::researcher, "Recherche (démo)", "recherche@demo.parcours.local"));
  const auto sexologist = seed.practitioner("Dre Démo Sexologue", "sexologist", "sexologue@demo.parcours.local");
  const auto therapist = seed.practitioner("Démo Thérapeute", "therapist", "therapeute@demo.parcours.local");
  users.push_back(seed.user(identity::Role::practitioner, "Dre Démo Sexologue", "sexologue@demo.parcours.local",
                            std::nullopt, sexologist));
  users.push_back(seed.user(identity::Role::practitioner, "Démo Thérapeute", "therapeute@demo.parcours.local",
                            std::nullopt, therapist));

  seed.referred("Démo", "Référé", 3);
  const auto ineligible = seed.referred("Démo", "Inadmissible", 40);
  seed.decide(ineligible.id, false);
  const auto eligible = seed.referred("Démo", "Admissible", 20);
  seed.decide(eligible.id, true);

  std::vector<participants::ParticipantView> enrolled;
  const char* families[] = {"Tremblay", "Gagnon", "Roy", "Côté", "Bouchard"};
  for (int i = 0; i < 5; ++i) {
    auto p = seed.referred("Démo", families[i], 70 - i * 5, i == 3 ? "en" : "fr");
    seed.decide(p.id, true);
    seed.commit(p.id, 45 - i * 5, i % 2 == 0);
    seed.paymentPlan(p.id, 3, 30 - i * 5);
    enrolled.push_back(p);
  }
  const std::int64_t fee = services.app().billing.options().fee.cents();
  const std::int64_t installment = fee / 3;
  users.push_back(seed.user(identity::Role::participant, "Démo Tremblay", "participant@demo.parcours.local",
                            enrolled[0].id));

  seed.therapy(enrolled[0].id, sexologist, 4);
  seed.therapy(enrolled[1].id, therapist, 6);
  seed.therapy(enrolled[2].id, sexologist, 8);
  seed.awarenessDay({enrolled[0].id, enrolled[1].id, enrolled[3].id});

  seed.pay(enrolled[0].id, installment, "cash", 25);
  const auto cheque1 = seed.pay(enrolled[2].id, installment, "cheque", 6);
  const auto cheque2 = seed.pay(enrolled[3].id, installment, "cheque", 5);
  finance::DepositRequest deposit{"cheque", seed.today() - date::days{4}, {cheque1, cheque2}, 0};
  services.app().database.transact(storage::TxMode::write, [&](storage::Transaction& tx) {
    services.app().reconciliation.createDepositIn(tx, deposit, kSeed);
  });
  const auto result = services.app().reconciliation.importStatement(
      demoStatement(seed, enrolled[1], enrolled[4], installment, 2 * installment), "", kSeed);

  const auto withdrawn = seed.referred("Démo", "Retiré", 90);
  seed.decide(withdrawn.id, true);
  seed.commit(withdrawn.id, 80, false);
  services.app().participants.withdraw(withdrawn.id, "Démo : déménagement hors région", kSeed);

  std::cout << "demo seed: " << seed.participants() << " participants, 2 practitioners, 3 therapy plans, an awareness day, a statement of "
            << result.lines << " bank lines (" << result.matched << " matched, " << result.proposed << " proposed, "
            << result.unmatched << " unmatched). Every name is marked (démo); demo users:\n";
  for (const auto& u : users) std::cout << "  " << u.role << ": " << u.email << "  " << u.password << '\n';
  return 0;
}

}  // namespace parcours::daemon
