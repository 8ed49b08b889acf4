#include "invoices/document_text.h"

#include <array>

namespace parcours::invoices {

using core::Language;

namespace {

// U+00A0, the no-break space of French typography.
constexpr std::string_view kNbsp = "\u00A0";

constexpr std::string_view pick(Language language, std::string_view fr, std::string_view en) {
  return language == Language::fr ? fr : en;
}

constexpr std::array<std::string_view, 12> kMonthsFr{"janvier",   "février", "mars",     "avril",
                                                     "mai",       "juin",    "juillet",  "août",
                                                     "septembre", "octobre", "novembre", "décembre"};
constexpr std::array<std::string_view, 12> kMonthsEn{"January",   "February", "March",    "April",
                                                     "May",       "June",     "July",     "August",
                                                     "September", "October",  "November", "December"};

}  // namespace

std::string_view phrase(Phrase phrase, Language l) {
  switch (phrase) {
    case Phrase::invoice: return pick(l, "Facture", "Invoice");
    case Phrase::credit_note: return pick(l, "Note de crédit", "Credit note");
    case Phrase::receipt: return pick(l, "Reçu", "Receipt");
    case Phrase::refund_receipt: return pick(l, "Reçu de remboursement", "Refund receipt");
    case Phrase::statement: return pick(l, "Relevé de compte", "Statement of account");
    case Phrase::attestation: return pick(l, "Attestation de participation", "Attestation of completion");
    case Phrase::number: return pick(l, "N°", "No.");
    case Phrase::date: return pick(l, "Date", "Date");
    case Phrase::bill_to: return pick(l, "Facturé à", "Bill to");
    case Phrase::received_from: return pick(l, "Reçu de", "Received from");
    case Phrase::refunded_to: return pick(l, "Remboursé à", "Refunded to");
    case Phrase::participant: return pick(l, "Personne participante", "Participant");
    case Phrase::participant_code: return pick(l, "Code du participant", "Participant code");
    case Phrase::description: return pick(l, "Description", "Description");
    case Phrase::taxes: return pick(l, "Taxes", "Taxes");
    case Phrase::amount: return pick(l, "Montant", "Amount");
    case Phrase::subtotal: return pick(l, "Sous-total", "Subtotal");
    case Phrase::gst: return pick(l, "TPS", "GST");
    case Phrase::qst: return pick(l, "TVQ", "QST");
    case Phrase::gst_with_rate: return pick(l, "TPS (5\u00A0%)", "GST (5%)");
    case Phrase::qst_with_rate: return pick(l, "TVQ (9,975\u00A0%)", "QST (9.975%)");
    case Phrase::total: return pick(l, "Total", "Total");
    case Phrase::gst_registration: return pick(l, "N° TPS", "GST No.");
    case Phrase::qst_registration: return pick(l, "N° TVQ", "QST No.");
    case Phrase::exempt_note:
      return pick(l, "Services exonérés de la TPS et de la TVQ.", "Services exempt from GST and QST.");
    case Phrase::out_of_scope_note:
      return pick(l, "Montants hors du champ d’application des taxes.", "Amounts outside the scope of sales taxes.");
    case Phrase::previous_fee: return pick(l, "Frais de programme avant l’ajustement", "Program fee before adjustment");
    case Phrase::new_fee: return pick(l, "Frais de programme après l’ajustement", "Program fee after adjustment");
    case Phrase::reason: return pick(l, "Motif", "Reason");
    case Phrase::received_on: return pick(l, "Date de réception", "Received on");
    case Phrase::payment_method: return pick(l, "Mode de paiement", "Payment method");
    case Phrase::reference: return pick(l, "Référence", "Reference");
    case Phrase::payment_reference: return pick(l, "Référence de paiement", "Payment reference");
    case Phrase::amount_received: return pick(l, "Montant reçu", "Amount received");
    case Phrase::refunded_receipt: return pick(l, "Reçu du paiement remboursé", "Receipt of the refunded payment");
    case Phrase::amount_refunded: return pick(l, "Montant remboursé", "Amount refunded");
    case Phrase::thank_you: return pick(l, "Merci.", "Thank you.");
    case Phrase::period: return pick(l, "Période", "Period");
    case Phrase::transactions: return pick(l, "Opérations", "Transactions");
    case Phrase::opening_balance: return pick(l, "Solde d’ouverture", "Opening balance");
    case Phrase::debit: return pick(l, "Débit", "Debit");
    case Phrase::credit: return pick(l, "Crédit", "Credit");
    case Phrase::balance: return pick(l, "Solde", "Balance");
    case Phrase::installment_schedule: return pick(l, "Échéancier", "Installment schedule");
    case Phrase::installment_number: return pick(l, "Versement", "Installment");
    case Phrase::due_on: return pick(l, "Échéance", "Due on");
    case Phrase::paid: return pick(l, "Payé", "Paid");
    case Phrase::status: return pick(l, "Statut", "Status");
    case Phrase::no_installments: return pick(l, "Aucun versement prévu.", "No installments scheduled.");
    case Phrase::credit_balance_note:
      return pick(l, "Un solde négatif est un crédit en votre faveur.",
                  "A negative balance is a credit in your favour.");
    case Phrase::installment_reference_note:
      return pick(l,
                  "Pour chaque versement, inscrivez sa référence de paiement dans le message du virement Interac "
                  "ou sur le chèque.",
                  "For each installment, write its payment reference in the Interac e-Transfer message or on the "
                  "cheque.");
    case Phrase::referred_on: return pick(l, "Date de référence au programme", "Referred to the program on");
    case Phrase::awareness_day: return pick(l, "Journée de sensibilisation", "Awareness day");
    case Phrase::sessions_attended: return pick(l, "Séances de thérapie suivies", "Therapy sessions attended");
    case Phrase::completed_on: return pick(l, "Programme terminé le", "Program completed on");
    case Phrase::authorized_signature: return pick(l, "Signature autorisée", "Authorized signature");
    case Phrase::not_attended: return pick(l, "—", "—");
  }
  return {};
}

std::string withColon(std::string_view label, Language language) {
  std::string text(label);
  text += language == Language::fr ? std::string(kNbsp) + ":" : std::string(":");
  return text;
}

std::string longDate(core::LocalDate day, Language language) {
  const date::year_month_day ymd{day};
  const unsigned d = static_cast<unsigned>(ymd.day());
  const auto month = static_cast<unsigned>(ymd.month()) - 1;
  const std::string year = std::to_string(static_cast<int>(ymd.year()));
  if (language == Language::fr) {
    return (d == 1 ? std::string("1er") : std::to_string(d)) + " " + std::string(kMonthsFr.at(month)) + " " + year;
  }
  return std::string(kMonthsEn.at(month)) + " " + std::to_string(d) + ", " + year;
}

std::string dateRange(core::LocalDate from, core::LocalDate to, Language language) {
  if (language == Language::fr) return "Du " + longDate(from, language) + " au " + longDate(to, language);
  return longDate(from, language) + " to " + longDate(to, language);
}

std::string formatAmount(std::int64_t cents, std::string_view currency, Language language) {
  return core::Money(cents, currency).format(language);
}

std::string quoted(std::string_view text, Language language) {
  if (language == Language::fr) return "«" + std::string(kNbsp) + std::string(text) + std::string(kNbsp) + "»";
  return "\u201C" + std::string(text) + "\u201D";
}

std::string balanceOn(core::LocalDate day, Language language) {
  if (language == Language::fr) return "Solde au " + longDate(day, language);
  return "Balance as of " + longDate(day, language);
}

std::string pageOf(int page, int pages, Language language) {
  return "Page " + std::to_string(page) + (language == Language::fr ? " / " : " of ") + std::to_string(pages);
}

std::string lineDescription(std::string_view code, Language l) {
  if (code == "program_fee") return std::string(pick(l, "Frais de programme", "Program fee"));
  if (code == "fee_reduction") return std::string(pick(l, "Réduction des frais de programme", "Program fee reduction"));
  if (code == "fee_increase")
    return std::string(pick(l, "Augmentation des frais de programme", "Program fee increase"));
  return std::string(code);
}

std::string taxCodeName(std::string_view code, Language l) {
  if (code == "exempt") return std::string(pick(l, "Exonéré", "Exempt"));
  if (code == "gst_qst") return std::string(pick(l, "TPS et TVQ", "GST and QST"));
  if (code == "out_of_scope") return std::string(pick(l, "Hors champ", "Out of scope"));
  return std::string(code);
}

std::string paymentMethodName(std::string_view method, Language l) {
  if (method == "cash") return std::string(pick(l, "Argent comptant", "Cash"));
  if (method == "cheque") return std::string(pick(l, "Chèque", "Cheque"));
  if (method == "debit") return std::string(pick(l, "Carte de débit", "Debit card"));
  if (method == "credit") return std::string(pick(l, "Carte de crédit", "Credit card"));
  if (method == "interac") return std::string(pick(l, "Virement Interac", "Interac e-Transfer"));
  if (method == "bank_transfer") return std::string(pick(l, "Virement bancaire", "Bank transfer"));
  return std::string(method);
}

std::string ledgerEntryName(std::string_view kind, Language l) {
  if (kind == "charge") return std::string(pick(l, "Facture", "Invoice"));
  if (kind == "credit") return std::string(pick(l, "Note de crédit", "Credit note"));
  if (kind == "payment") return std::string(pick(l, "Paiement", "Payment"));
  if (kind == "refund") return std::string(pick(l, "Remboursement", "Refund"));
  if (kind == "returned") return std::string(pick(l, "Paiement retourné par la banque", "Payment returned by the bank"));
  return std::string(kind);
}

std::string installmentStatusName(std::string_view status, Language l) {
  if (status == "open") return std::string(pick(l, "À payer", "Open"));
  if (status == "partial") return std::string(pick(l, "Partiellement payé", "Partly paid"));
  if (status == "paid") return std::string(pick(l, "Payé", "Paid"));
  if (status == "overdue") return std::string(pick(l, "En retard", "Overdue"));
  if (status == "replaced") return std::string(pick(l, "Remplacé", "Replaced"));
  return std::string(status);
}

std::string invoicePaymentNote(std::string_view number, Language language) {
  if (language == Language::fr) {
    return "Vous pouvez payer en un ou plusieurs versements, selon l’entente conclue avec le programme. Veuillez "
           "indiquer le numéro " +
           std::string(number) + " avec votre paiement.";
  }
  return "You may pay in one or several installments, as agreed with the program. Please quote number " +
         std::string(number) + " with your payment.";
}

std::string invoicePaymentNoteWithReference(std::string_view paymentReference, Language language) {
  if (language == Language::fr) {
    return "Vous pouvez payer en un ou plusieurs versements, selon l’entente conclue avec le programme. Inscrivez "
           "la référence de paiement " +
           std::string(paymentReference) + " dans le message du virement Interac ou sur le chèque.";
  }
  return "You may pay in one or several installments, as agreed with the program. Write the payment reference " +
         std::string(paymentReference) + " in the Interac e-Transfer message or on the cheque.";
}

std::string creditNoteNote(std::string_view amount, Language language) {
  if (language == Language::fr) {
    return "Cette note de crédit réduit le solde de votre compte de " + std::string(amount) + ".";
  }
  return "This credit note reduces your account balance by " + std::string(amount) + ".";
}

std::string receiptSentence(std::string_view name, std::string_view amount, Language language) {
  if (language == Language::fr) {
    return "Nous accusons réception de la somme de " + std::string(amount) + " versée par " + std::string(name) + ".";
  }
  return "We acknowledge receipt of " + std::string(amount) + " from " + std::string(name) + ".";
}

std::string refundSentence(std::string_view name, std::string_view amount, Language language) {
  if (language == Language::fr) {
    return "Nous avons remboursé la somme de " + std::string(amount) + " à " + std::string(name) + ".";
  }
  return "We have refunded " + std::string(amount) + " to " + std::string(name) + ".";
}

std::string attestationSentence(const AttestationWording& w, Language language) {
  const std::string sessions = std::to_string(w.sessionsAttended);
  if (language == Language::fr) {
    std::string text = "Nous attestons que " + w.name + " (code " + w.code +
                       "), dont le dossier a été transmis au programme le " + longDate(w.referredOn, language) +
                       ", a terminé le programme le " + longDate(w.completedOn, language) + ", après avoir suivi ";
    if (w.awarenessDayOn) text += "la journée de sensibilisation du " + longDate(*w.awarenessDayOn, language) + " et ";
    text += w.sessionsAttended == 1 ? "une séance de thérapie." : sessions + " séances de thérapie.";
    return text;
  }
  std::string text = "We certify that " + w.name + " (code " + w.code + "), referred to the program on " +
                     longDate(w.referredOn, language) + ", completed the program on " +
                     longDate(w.completedOn, language) + ", having attended ";
  if (w.awarenessDayOn) text += "the awareness day of " + longDate(*w.awarenessDayOn, language) + " and ";
  text += w.sessionsAttended == 1 ? "one therapy session." : sessions + " therapy sessions.";
  return text;
}

std::string signedFor(std::string_view organisation, Language language) {
  return std::string(pick(language, "Pour ", "For ")) + std::string(organisation);
}

}  // namespace parcours::invoices
