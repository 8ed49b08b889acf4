// Small DOM helpers shared by the pages: no inline style or script, text
// always set as text (never HTML).

export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

// Replaces the page's content and moves focus to its heading (screen readers
// announce the new page).
export function show(...nodes) {
  const main = document.getElementById('app');
  main.replaceChildren(...nodes);
  const heading = main.querySelector('h2');
  if (heading) heading.focus();
}
