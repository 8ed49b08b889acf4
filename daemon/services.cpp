#include "daemon/services.h"

#include "identity/secret_file.h"

namespace parcours::daemon {

namespace {
std::chrono::seconds lockout(const Settings& settings) {
  return std::chrono::seconds(settings.integer("security.login_lockout_seconds", 1, 86400));
}
billing::BillingOptions billingOptions(const Settings& settings) {
  billing::BillingOptions options;
  options.feeCents = settings.integer("billing.fee_cents", 0, 10000000);
  const auto taxCode = billing::taxCodeFromString(settings.text("billing.fee_tax_code"));
  if (!taxCode) {
    throw core::Error(core::ErrorCode::bad_request, "billing.fee_tax_code must be exempt, gst_qst or out_of_scope");
  }
  options.feeTaxCode = *taxCode;
  options.maxInstallments = static_cast<int>(settings.integer("billing.max_installments", 1, 24));
  options.graceDays = static_cast<int>(settings.integer("billing.grace_days", 0, 365));
  return options;
}

}  // namespace

Services::Services(const Settings& settings, storage::Database& database)
    : cipher_(settings.text("security.key_file")),
      lookup_(identity::loadOrCreateSecret(settings.text("security.lookup_key_file"))),
      identity_(
          database, cipher_, lookup_, clock_,
          {.sessionLifetime = std::chrono::hours(settings.integer("security.session_hours", 1, 720)),
           .tokenCache = {.lifetime = std::chrono::seconds(settings.integer("security.token_cache_seconds", 0, 60))}}),
      throttle_(clock_, {.maxFailures = static_cast<int>(settings.integer("security.login_max_failures", 1, 100)),
                         .window = lockout(settings),
                         .lockout = lockout(settings)}),
      participants_(database, cipher_, lookup_, clock_, core::findZone(settings.text("program.time_zone"))),
      practitioners_(database, clock_, settings.text("program.time_zone")),
      scheduling_(database, clock_, core::findZone(settings.text("program.time_zone")), participants_,
                  {std::chrono::hours(settings.integer("scheduling.late_cancellation_hours", 0, 720)),
                   std::chrono::minutes(settings.integer("scheduling.granularity_minutes", 5, 60))}),
      awarenessDays_(database, clock_, participants_),
      documents_(cipher_, core::findZone(settings.text("program.time_zone"))),
      billing_(database, documents_, participants_, cipher_, clock_, core::findZone(settings.text("program.time_zone")),
               billingOptions(settings)),
      idempotent_(database, cipher_, clock_,
                  std::chrono::hours(settings.integer("idempotency.retention_hours", 24, 8760))),
      app_{database,
           identity_,
           throttle_,
           participants_,
           practitioners_,
           scheduling_,
           awarenessDays_,
           billing_,
           documents_,
           idempotent_,
           clock_,
           core::findZone(settings.text("program.time_zone")),
           api::AccessResolver{[this](std::string_view secret) { return identity_.authenticate(secret); },
                               [this](std::int64_t practitioner, std::int64_t participant) {
                                 return scheduling_.treats(practitioner, participant);
                               },
                               [this](std::int64_t sessionId) -> std::optional<std::pair<std::int64_t, std::int64_t>> {
                                 try {
                                   const auto s = scheduling_.session(sessionId);
                                   return std::pair(s.practitionerId, s.participantId);
                                 } catch (const core::Error& e) {
                                   if (e.code() == core::ErrorCode::not_found) return std::nullopt;
                                   throw;
                                 }
                               }}} {
  // Enrolment charges the fee and issues the invoice in its own transaction.
  participants_.onEnrolled([this](storage::Transaction& tx, std::int64_t id, const identity::AuditContext& context) {
    billing_.chargeFeeIn(tx, id, context);
  });
}

}  // namespace parcours::daemon
