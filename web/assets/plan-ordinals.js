// "séance n de m" for the sessions of a therapy plan, computed here from
// the plan's sessions: m counts the plan's sessions that still count
// (every status but `cancelled`, a cancellation in time), n is the
// session's rank among them by start. A cancelled session has no rank.

const NOT_COUNTED = new Set(['cancelled']);

// sessions: every session known for some plans → Map(session id → {n, m}).
export function planOrdinals(sessions) {
  const byPlan = new Map();
  for (const session of sessions) {
    if (!session.plan_id || NOT_COUNTED.has(session.status)) continue;
    if (!byPlan.has(session.plan_id)) byPlan.set(session.plan_id, new Map());
    byPlan.get(session.plan_id).set(session.id, session);   // one entry per session, however often it is fetched
  }
  const ordinals = new Map();
  for (const plan of byPlan.values()) {
    const ordered = [...plan.values()].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    ordered.forEach((session, index) => ordinals.set(session.id, { n: index + 1, m: ordered.length }));
  }
  return ordinals;
}
