// Every string the pages show, in one table per language. French is the
// program's language; English can be added as a second table with the same
// keys. `{name}` in a string is replaced by vars.name.

const STRINGS = {
  fr: {
    'role.admin': 'administration',
    'role.coordinator': 'coordination',
    'role.practitioner': 'intervenant·e',
    'role.finance': 'finances',
    'role.participant': 'participant·e',
    'role.researcher': 'recherche',
    'signin.title': 'Connexion',
    'signin.email': 'Courriel',
    'signin.password': 'Mot de passe',
    'signin.submit': 'Se connecter',
    'signin.throttled': 'Trop de tentatives : attendez un moment avant de réessayer.',
    'signin.wrong': 'Courriel ou mot de passe incorrect.',
    'signout.button': 'Se déconnecter',
    'signout.done': 'Vous êtes déconnecté·e.',
    'home.hello': 'Bonjour, {name}',
    'home.role': 'Rôle : {role}',
    'home.passwordChange': 'Votre mot de passe doit être changé avant de continuer.',
    'week.title': 'Ma semaine',
    'week.calendar': 'Séances de la semaine',
    'week.loadFailed': 'Les séances n\u2019ont pas pu être chargées : {detail}',
    'week.ordinal': 'séance {n} de {m}',
    'status.scheduled': 'prévue',
    'status.attended': 'présent·e',
    'status.no_show': 'absent·e',
    'status.excused': 'excusée',
    'status.cancelled': 'annulée',
    'status.late_cancelled': 'annulée tardivement',
    'dialog.title': 'Séance de {code}',
    'dialog.when': '{day}, {from} – {to}',
    'dialog.status': 'Statut : {status}',
    'dialog.close': 'Fermer',
    'dialog.attendance': 'Présence',
    'dialog.attended': 'Présent·e',
    'dialog.noShow': 'Absent·e',
    'dialog.notStarted': 'La présence se note une fois la séance commencée.',
    'dialog.cancel': 'Annuler la séance',
    'dialog.cancelBy': 'À la demande de',
    'dialog.byPractitioner': 'l\u2019intervenant·e (annulation)',
    'dialog.byParticipant': 'la personne participante (tardive si le préavis n\u2019est pas respecté)',
    'dialog.reason': 'Motif (obligatoire)',
    'dialog.reasonMissing': 'Indiquez le motif de l\u2019annulation.',
    'dialog.saved': 'Enregistré : {status}.',
    'error.generic': 'La demande a échoué ({status}).',
    'error.network': 'Le serveur ne répond pas. Réessayez.',
    'feed.button': 'Créer mon lien iCalendar',
    'feed.label': 'Lien iCalendar (l\u2019ancien lien cesse de fonctionner)',
    'feed.copy': 'Copier le lien',
    'feed.copied': 'Lien copié.',
    'availability.title': 'Disponibilités hebdomadaires',
    'availability.window': 'Plage {n}',
    'availability.day': 'Jour',
    'availability.start': 'Début',
    'availability.end': 'Fin',
    'availability.remove': 'Retirer',
    'availability.removeN': 'Retirer la plage {n}',
    'availability.add': 'Ajouter une plage',
    'availability.save': 'Enregistrer les disponibilités',
    'availability.saved': 'Disponibilités enregistrées.',
    'weekday.mon': 'lundi',
    'weekday.tue': 'mardi',
    'weekday.wed': 'mercredi',
    'weekday.thu': 'jeudi',
    'weekday.fri': 'vendredi',
    'weekday.sat': 'samedi',
    'weekday.sun': 'dimanche',
    'timeOff.title': 'Congé',
    'timeOff.from': 'Du (inclus)',
    'timeOff.to': 'Au (inclus)',
    'timeOff.reason': 'Motif (facultatif)',
    'timeOff.submit': 'Déclarer le congé',
    'timeOff.datesMissing': 'Indiquez les deux dates du congé.',
    'timeOff.saved': 'Congé enregistré du {from} au {to}.',
    'timeOff.conflicts': 'séances prévues : {list}',
  },
};

let language = 'fr';

export function t(key, vars = {}) {
  const text = STRINGS[language][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

export function locale() {
  return language;
}
