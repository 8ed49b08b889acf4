// Times in the program's zone (America/Toronto) without a time-zone library.
// The calendar runs in FullCalendar's 'UTC' mode on wall-clock times: a
// session the API gives as 2026-12-04T09:00:00-05:00 is drawn at 09:00
// whatever the browser's own zone, and "now" is Toronto's wall clock.

export const PROGRAM_ZONE = 'America/Toronto';

// The wall-clock part of an RFC 3339 instant, as the API wrote it.
export function wallClock(instant) {
  return instant.replace(/(Z|[+-]\d\d:\d\d)$/, '');
}

// Now in the program's zone, as a wall-clock text (YYYY-MM-DDTHH:MM:SS).
export function programNow(date = new Date()) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone: PROGRAM_ZONE, hourCycle: 'h23',
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
}

// Whether the session (its RFC 3339 start, with offset) has started.
export function hasStarted(start, now = Date.now()) {
  return Date.parse(start) <= now;
}

// "jeudi 4 décembre" and "09:00" for a wall-clock text.
export function dayText(instant) {
  return new Intl.DateTimeFormat('fr-CA', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' })
    .format(new Date(`${wallClock(instant)}Z`));
}

export function hourText(instant) {
  return wallClock(instant).slice(11, 16);
}
