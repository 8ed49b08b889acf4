// Labelled form fields whose errors come from a problem+json answer: each
// field has its own role="alert" paragraph, filled from `errors[].field`
// (the API's field names, e.g. "referral.reference").

import { element } from './dom.js';

export class FieldSet {
  constructor(prefix) {
    this.prefix = prefix;
    this.fields = new Map();
  }

  idOf(name) {
    return `${this.prefix}-${name.replace(/\./g, '-')}`;
  }

  // [label, control, alert] for the API field `name`.
  field(name, label, control = 'input', attributes = {}) {
    const id = this.idOf(name);
    const alert = element('p', { id: `${id}-error`, role: 'alert', class: 'error' });
    const input = element(control, { id, name, 'aria-describedby': `${id}-error`, ...attributes });
    this.fields.set(name, { input, alert });
    return [element('label', { for: id }, label), input, alert];
  }

  value(name) {
    const text = this.fields.get(name).input.value.trim();
    return text === '' ? undefined : text;
  }

  clear() {
    for (const { input, alert } of this.fields.values()) {
      alert.textContent = '';
      input.removeAttribute('aria-invalid');
    }
  }

  // Shows each named error next to its field; returns those no field took.
  showErrors(data) {
    const unplaced = [];
    for (const error of Array.isArray(data?.errors) ? data.errors : []) {
      const known = this.fields.get(error.field);
      if (!known) { unplaced.push(error); continue; }
      known.alert.textContent = error.message;
      known.input.setAttribute('aria-invalid', 'true');
    }
    const first = [...this.fields.values()].find(({ input }) => input.getAttribute('aria-invalid'));
    if (first) first.input.focus();
    return unplaced;
  }
}
