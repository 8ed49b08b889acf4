// The page shell's script: sign-in with the cookie session, who is signed in,
// sign-out. A client of the JSON API only (docs/api.md "Pages"): the session
// cookie is HttpOnly, so this script never sees it; it keeps the session's
// CSRF token in memory (from the sign-in answer, or GET /api/v1/auth/session
// when the page opens) and sends it on every write. No inline script, no
// other host, no build step.

let csrfToken = null;

const ROLES = {
  admin: "administration",
  coordinator: "coordination",
  practitioner: "intervenant·e",
  finance: "finances",
  participant: "participant·e",
  researcher: "recherche",
};

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  return { status: response.status, data };
}

function show(...nodes) {
  const main = document.getElementById("app");
  main.replaceChildren(...nodes);
  const heading = main.querySelector("h2");
  if (heading) heading.focus();
}

function signInForm(message) {
  const email = element("input", { id: "email", type: "email", name: "email", autocomplete: "username", required: "" });
  const password = element("input", {
    id: "password", type: "password", name: "password", autocomplete: "current-password", required: "",
  });
  const form = element(
    "form",
    { "aria-labelledby": "sign-in-title" },
    element("label", { for: "email" }, "Courriel"),
    email,
    element("label", { for: "password" }, "Mot de passe"),
    password,
    element("button", { type: "submit" }, "Se connecter"),
  );
  const status = element("p", { role: "status", class: "error" }, message || "");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "";
    const { status: code, data } = await api("POST", "/api/v1/auth/session", {
      email: email.value,
      password: password.value,
    });
    if (code === 200) {
      csrfToken = data.csrf_token;
      signedIn(data.user, data.password_change_required);
    } else if (code === 429) {
      status.textContent = "Trop de tentatives : attendez un moment avant de réessayer.";
    } else {
      status.textContent = "Courriel ou mot de passe incorrect.";
    }
  });
  show(element("h2", { id: "sign-in-title", tabindex: "-1" }, "Connexion"), form, status);
}

function signedIn(user, mustChangePassword) {
  const signOut = element("button", { type: "button" }, "Se déconnecter");
  signOut.addEventListener("click", async () => {
    await api("DELETE", "/api/v1/auth/session");
    csrfToken = null;
    signInForm("Vous êtes déconnecté·e.");
  });
  const nodes = [
    element("h2", { tabindex: "-1" }, "Bonjour, " + (user.display_name || user.email)),
    element("p", {}, "Rôle : " + (ROLES[user.role] || user.role)),
  ];
  if (mustChangePassword) {
    nodes.push(element("p", { role: "alert" }, "Votre mot de passe doit être changé avant de continuer."));
  }
  nodes.push(signOut);
  show(...nodes);
}

async function start() {
  const { status, data } = await api("GET", "/api/v1/auth/session");
  if (status === 200 && data.csrf_token) {
    csrfToken = data.csrf_token;
    signedIn(data.user, data.password_change_required);
  } else {
    signInForm();
  }
}

start();
