#include "daemon/services.h"

#include <fstream>

#include <Poco/Logger.h>

#include "identity/secret_file.h"

namespace parcours::daemon {

namespace {
std::chrono::seconds lockout(const Settings& settings) {
  return std::chrono::seconds(settings.integer("security.login_lockout_seconds", 1, 86400));
}
// "A | B | C" → {"A", "B", "C"}: one setting holds the address lines.
std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto bar = text.find('|', start);
    std::string line = text.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
    const auto first = line.find_first_not_of(' ');
    const auto last = line.find_last_not_of(' ');
    if (first != std::string::npos) out.push_back(line.substr(first, last - first + 1));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return out;
}

std::optional<std::string> unlessEmpty(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional(text);
}

invoices::Letterhead letterhead(const Settings& settings) {
  invoices::Letterhead l;
  l.organisation = settings.text("org.name");
  l.addressLines = lines(settings.text("org.address"));
  l.gstNumber = unlessEmpty(settings.text("org.gst_number"));
  l.qstNumber = unlessEmpty(settings.text("org.qst_number"));
  l.footer = settings.text("org.footer");
  l.logoPngPath = unlessEmpty(settings.text("org.logo_png"));
  // Checked now: a logo that cannot be read would make every document fail.
  if (l.logoPngPath && !std::ifstream(*l.logoPngPath, std::ios::binary).good()) {
    throw core::Error(core::ErrorCode::bad_request, "org.logo_png: cannot read " + *l.logoPngPath);
  }
  const std::string& size = settings.text("documents.page_size");
  if (size != "letter" && size != "a4") {
    throw core::Error(core::ErrorCode::bad_request, "documents.page_size must be letter or a4");
  }
  l.pageSize = size == "a4" ? invoices::PageSize::a4 : invoices::PageSize::letter;
  return l;
}

bool booleanSetting(const Settings& settings, const std::string& key) {
  const std::string& value = settings.text(key);
  if (value != "true" && value != "false")
    throw core::Error(core::ErrorCode::bad_request, key + " must be true or false");
  return value == "true";
}

invoices::SmtpSettings smtpSettings(const Settings& settings) {
  invoices::SmtpSettings s;
  s.host = settings.text("smtp.host");
  s.port = static_cast<int>(settings.integer("smtp.port", 1, 65535));
  const bool startTls = booleanSetting(settings, "smtp.starttls");
  const bool implicitTls = booleanSetting(settings, "smtp.implicit_tls");
  if (startTls && implicitTls) {
    throw core::Error(core::ErrorCode::bad_request, "smtp.starttls and smtp.implicit_tls cannot both be true");
  }
  s.tls = implicitTls ? invoices::SmtpTls::implicit : startTls ? invoices::SmtpTls::starttls : invoices::SmtpTls::none;
  s.caFile = settings.text("smtp.ca_file");
  if (!s.caFile.empty() && !std::ifstream(s.caFile).good()) {
    throw core::Error(core::ErrorCode::bad_request, "smtp.ca_file: cannot read " + s.caFile);
  }
  s.username = settings.text("smtp.username");
  s.password = settings.text("smtp.password");
  s.from = settings.text("smtp.from");
  invoices::requireProtectedCredentials(s);
  if (invoices::sendsInClearOffMachine(s)) {
    Poco::Logger::get("parcours.mail")
        .warning("smtp.host " + s.host + " is reached without TLS: documents would cross the network in clear");
  }
  return s;
}

billing::MailOptions mailOptions(const Settings& settings) {
  const auto rule = billing::pdfPasswordRuleFromString(settings.text("mail.pdf_password"));
  if (!rule) throw core::Error(core::ErrorCode::bad_request, "mail.pdf_password must be none, birth_date or code");
  return {*rule};
}

billing::BillingOptions billingOptions(const Settings& settings) {
  billing::BillingOptions options;
  options.fee = core::Money(settings.integer("billing.fee_cents", 0, 10000000), options.fee.currency());
  const auto taxCode = billing::taxCodeFromString(settings.text("billing.fee_tax_code"));
  if (!taxCode) {
    throw core::Error(core::ErrorCode::bad_request, "billing.fee_tax_code must be exempt, gst_qst or out_of_scope");
  }
  options.feeTaxCode = *taxCode;
  options.maxInstallments = static_cast<int>(settings.integer("billing.max_installments", 1, 24));
  options.graceDays = static_cast<int>(settings.integer("billing.grace_days", 0, 365));
  return options;
}

// Desjardins, RBC, then the generic profiles of finance.bank_profiles_file.
std::vector<finance::CsvProfile> bankProfiles(const Settings& settings) {
  std::vector<finance::CsvProfile> all{finance::desjardinsProfile(), finance::rbcProfile()};
  const std::string& path = settings.text("finance.bank_profiles_file");
  if (path.empty()) return all;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::Error(core::ErrorCode::bad_request, "cannot read " + path, "finance.bank_profiles_file");
  const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (auto& p : finance::genericProfilesFromJson(json)) all.push_back(std::move(p));
  return all;
}

}  // namespace

Services::Services(const Settings& settings, storage::Database& database)
    : clock_(settings.text("testing.clock_offset_file")),
      cipher_(settings.text("security.key_file")),
      lookup_(identity::loadOrCreateSecret(settings.text("security.lookup_key_file"))),
      digests_(identity::loadOrCreateSecret(settings.text("security.digest_key_file"))),
      identity_(
          database, cipher_, lookup_, clock_,
          {.sessionLifetime = std::chrono::hours(settings.integer("security.session_hours", 1, 720)),
           .tokenCache = {.lifetime = std::chrono::seconds(settings.integer("security.token_cache_seconds", 0, 60))}}),
      throttle_(clock_, {.maxFailures = static_cast<int>(settings.integer("security.login_max_failures", 1, 100)),
                         .window = lockout(settings),
                         .lockout = lockout(settings)}),
      participants_(database, cipher_, lookup_, clock_, core::findZone(settings.text("program.time_zone"))),
      practitioners_(database, clock_, settings.text("program.time_zone")),
      scheduling_(database, cipher_, clock_, core::findZone(settings.text("program.time_zone")), participants_,
                  {std::chrono::hours(settings.integer("scheduling.late_cancellation_hours", 0, 720)),
                   std::chrono::minutes(settings.integer("scheduling.granularity_minutes", 5, 60))}),
      awarenessDays_(database, clock_, participants_),
      letterhead_(letterhead(settings)),
      documents_(cipher_, digests_, core::findZone(settings.text("program.time_zone"))),
      billing_(database, documents_, participants_, cipher_, clock_, core::findZone(settings.text("program.time_zone")),
               billingOptions(settings)),
      bankProfiles_(bankProfiles(settings)),
      reconciliation_(database, billing_, cipher_, digests_, clock_,
                      core::findZone(settings.text("program.time_zone"))),
      outbox_(database, cipher_, clock_,
              {.firstRetry = std::chrono::seconds(settings.integer("mail.retry_seconds", 1, 86400))}),
      mailer_(smtpSettings(settings)),
      mail_(database, billing_, documents_, outbox_, participants_, letterhead_, clock_,
            core::findZone(settings.text("program.time_zone")), mailOptions(settings)),
      sender_(
          outbox_, mailer_, [this](const invoices::OutboxItem& item) { return mail_.compose(item); },
          std::chrono::seconds(settings.integer("mail.poll_seconds", 1, 3600))),
      idempotent_(database, cipher_, digests_, clock_,
                  std::chrono::hours(settings.integer("idempotency.retention_hours", 24, 8760))),
      completion_(database, participants_, scheduling_, billing_, documents_, clock_,
                  core::findZone(settings.text("program.time_zone"))),
      app_{database,
           identity_,
           throttle_,
           participants_,
           practitioners_,
           scheduling_,
           awarenessDays_,
           billing_,
           reconciliation_,
           bankProfiles_,
           completion_,
           documents_,
           mail_,
           outbox_,
           idempotent_,
           clock_,
           core::findZone(settings.text("program.time_zone")),
           api::AccessResolver{[this](std::string_view secret) { return identity_.authenticate(secret); },
                               [this](core::PractitionerId practitioner, core::ParticipantId participant) {
                                 return scheduling_.treats(practitioner, participant);
                               },
                               [this](core::SessionId sessionId) -> std::optional<api::SessionParties> {
                                 try {
                                   const auto s = scheduling_.session(sessionId);
                                   return api::SessionParties{s.practitionerId, s.participantId};
                                 } catch (const core::Error& e) {
                                   if (e.code() == core::ErrorCode::not_found) return std::nullopt;
                                   throw;
                                 }
                               },
                               [this](core::PractitionerId practitioner) {
                                 return scheduling_.participantsTreatedBy(practitioner);
                               }},
           [this] { sender_.wake(); }},
      research_(database, cipher_, clock_, core::findZone(settings.text("program.time_zone"))),
      retention_(database, cipher_, digests_, clock_, core::findZone(settings.text("program.time_zone")),
                 static_cast<int>(settings.integer("retention.years", retention::kMinRetentionYears,
                                                   retention::kMaxRetentionYears))),
      dailyRetention_(retention_, std::chrono::hours(24)),
      runRetentionDaily_(booleanSetting(settings, "retention.run_daily")) {
  // Every document gets its PDF at issue, in the participant's language.
  documents_.setRenderer(
      [this, zone = &core::findZone(settings.text("program.time_zone"))](const invoices::DocumentView& document) {
        return invoices::renderIssuedDocument(document, billing::documentLanguage(document), letterhead_, *zone);
      });
  // Enrolment charges the fee and issues the invoice in its own transaction.
  participants_.onEnrolled(
      [this](storage::Transaction& tx, core::ParticipantId id, const identity::AuditContext& context) {
        billing_.chargeFeeIn(tx, id, context);
      });
}

void Services::startBackground(storage::Database& database) {
  // Rows written by an earlier version: each step is idempotent and resumable.
  documents_.keyLegacyDigests(database);
  idempotent_.keyLegacyDigests();
  scheduling_.sealClearReasons();
  documents_.renderMissingPdfs(database);
  sender_.start();
  if (runRetentionDaily_) dailyRetention_.start();
}

}  // namespace parcours::daemon
