#pragma once
// `parcoursd demo seed`: a small fictitious program in a NEW database, so
// that a first run shows something — practitioners with a week of
// availability, participants in each state the clock allows (referred,
// ineligible, eligible, enrolled, in therapy, withdrawn), therapy plans, an
// awareness day with seats, payment plans, payments, a deposit and a bank
// statement with lines to reconcile — and a user of every role.
//
// Every name says it is demo data ("Démo …", "@demo.parcours.local"), and
// the seed refuses a database that already holds a participant, a
// practitioner, a payment or any user but administrators: it never mixes
// demo data with real data. It goes through the same services as the API,
// so every rule holds (and every write is audited).

#include <string>
#include <vector>

#include "daemon/settings.h"

namespace parcours::daemon {

struct DemoUser {
  std::string role;
  std::string email;
  std::string password;
};

// Seeds; prints the demo users' credentials. Returns the exit code (0, or
// 1 when the database is not new: nothing is written then).
int seedDemo(const Settings& settings);

}  // namespace parcours::daemon
