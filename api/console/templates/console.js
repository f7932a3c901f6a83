// The agent console: sign-in, the live queue (server-sent events) and one handoff. No framework, no CDN.
// Everything the server sends is shown with textContent, never as HTML.
"use strict";

const API = "/api/v1";
const WRITE_HEADERS = { "Content-Type": "application/json", "X-Console-Request": "1" };

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

async function call(method, path, body) {
  const response = await fetch(API + path, {
    method,
    headers: method === "GET" ? {} : WRITE_HEADERS,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (response.status === 401) { window.location.assign("/console/login"); throw new Error("signed out"); }
  const data = response.status === 204 ? null : await response.json();
  if (!response.ok) throw new Error(typeof data.detail === "string" ? data.detail : "request failed");
  return data;
}

function when(iso) { return new Date(iso).toLocaleString(); }

function initLogin() {
  const form = document.getElementById("login-form");
  const error = document.getElementById("login-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.hidden = true;
    const response = await fetch(API + "/staff/login", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: form.email.value, password: form.password.value }),
    });
    if (response.ok) { window.location.assign("/console"); return; }
    error.textContent = "Wrong email or password.";
    error.hidden = false;
  });
}

function queueRow(item) {
  const row = el("tr");
  row.dataset.id = item.id;
  row.append(el("td", item.priority, "priority-" + item.priority), el("td", item.reason.replace(/_/g, " ")));
  row.append(el("td", item.channel), el("td", item.status + (item.escalated ? " (escalated)" : "")));
  row.append(el("td", when(item.created_at)));
  const cell = el("td");
  const button = el("button", item.status === "queued" ? "Claim" : "Open");
  button.addEventListener("click", async () => {
    if (item.status === "queued") await call("POST", "/handoffs/" + item.id + "/claim");
    window.location.assign("/console/handoffs/" + item.id);
  });
  cell.append(button);
  row.append(cell);
  return row;
}

function initQueue() {
  const body = document.querySelector("#queue tbody");
  const live = document.getElementById("live");
  const source = new EventSource(API + "/handoffs/stream");
  source.addEventListener("queue", (event) => {
    const items = JSON.parse(event.data);
    body.replaceChildren(...items.map(queueRow));
    document.getElementById("empty").hidden = items.length > 0;
    live.textContent = "Live: updated " + new Date().toLocaleTimeString();
  });
  source.addEventListener("signed_out", () => window.location.assign("/console/login"));
  source.onerror = () => { live.textContent = "Reconnecting…"; };
  document.getElementById("logout-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await call("POST", "/staff/logout");
    window.location.assign("/console/login");
  });
}

function entry(line) {
  const item = el("li", null, line.sender);
  const who = line.sender === "agent" || line.sender === "note" ? line.staff_email || "agent" : line.sender;
  const meta = el("span", who + " · " + when(line.at) + (line.delivery ? " · " + line.delivery.replace(/_/g, " ") : ""), "meta");
  item.append(meta, el("span", line.text));
  if (line.distress && line.distress !== "none") {
    item.append(" ", el("span", line.distress, "distress distress-" + line.distress));
  }
  return item;
}

function facts(list, pairs) {
  list.replaceChildren();
  for (const [name, value] of pairs) list.append(el("dt", name), el("dd", value));
}

function renderHandoff(h) {
  document.getElementById("title").textContent = "Handoff: " + h.reason.replace(/_/g, " ");
  facts(document.getElementById("facts-list"), [
    ["Status", h.status + (h.escalated ? " (escalated)" : "")], ["Channel", h.channel],
    ["Priority", h.priority], ["Owner", h.claimed_by_email || "nobody"], ["Disposition", h.disposition || "none"],
    ["Waiting since", when(h.created_at)],
  ]);
  document.getElementById("account-section").hidden = !h.account;
  if (h.account) {
    const a = h.account;
    facts(document.getElementById("account"), [
      ["Debtor", a.debtor_name], ["Reference", a.reference], ["Creditor", a.creditor],
      ["Balance", a.total + " " + a.currency], ["Days past due", a.days_past_due], ["Time zone", a.timezone],
    ]);
  }
  document.getElementById("summary").textContent = h.summary || "No summary.";
  document.getElementById("trend").textContent = h.distress.map((p) => p.level).join(" → ") || "none";
  document.getElementById("transcript").replaceChildren(...h.transcript.map(entry));
  document.getElementById("notes").replaceChildren(...h.notes.map(entry));
  const claimed = h.status === "claimed";
  document.getElementById("claim").disabled = h.status !== "queued";
  for (const id of ["reply-form", "release"]) {
    document.getElementById(id).querySelectorAll("button").forEach((b) => { b.disabled = !claimed; });
  }
  document.getElementById("release").disabled = !claimed;
  document.getElementById("close").disabled = h.status === "closed" || h.status === "queued";
}

// Supervisors and admins reassign a handoff to another agent; others never see the control.
async function initReassign(after) {
  const form = document.getElementById("reassign-form");
  const select = document.getElementById("reassign-to");
  const me = await call("GET", "/staff/me");
  if (me.role !== "supervisor" && me.role !== "admin") return;
  const people = await call("GET", "/staff/agents");
  select.replaceChildren(...people.map((p) => {
    const option = el("option", p.email + " (" + p.role + ")");
    option.value = p.id;
    return option;
  }));
  form.hidden = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    after("POST", "/reassign", { staff_id: select.value });
  });
}

function initHandoff() {
  const id = document.body.dataset.handoff;
  const problem = document.getElementById("problem");
  const path = "/handoffs/" + id;
  async function run(action) {
    problem.hidden = true;
    try { renderHandoff(await action()); } catch (error) { problem.textContent = error.message; problem.hidden = false; }
  }
  const load = () => run(() => call("GET", path));
  // After an action, always show the handoff as it now is: a reply Rasa could not deliver is in the
  // transcript ("not_delivered") even though the action failed; the error stays on screen.
  async function after(method, suffix, body) {
    let failure = null;
    try { await call(method, path + suffix, body); } catch (error) { failure = error; }
    await load();
    if (failure) { problem.textContent = failure.message; problem.hidden = false; }
    return failure === null;
  }
  document.getElementById("claim").addEventListener("click", () => after("POST", "/claim"));
  document.getElementById("release").addEventListener("click", () => after("POST", "/release"));
  document.getElementById("close").addEventListener("click", () => after("POST", "/close"));
  for (const [form, field, suffix] of [["reply-form", "reply", "/reply"], ["note-form", "note", "/notes"]]) {
    document.getElementById(form).addEventListener("submit", (event) => {
      event.preventDefault();
      const input = document.getElementById(field);
      after("POST", suffix, { text: input.value }).then((ok) => { if (ok) input.value = ""; });
    });
  }
  document.getElementById("disposition-form").addEventListener("submit", (event) => {
    event.preventDefault();
    after("POST", "/disposition", { disposition: document.getElementById("disposition").value });
  });
  initReassign(after);
  load();
  // The debtor's messages arrive while the agent reads: refresh the transcript every few seconds.
  // The periodic refresh leaves an error on screen until the agent's next action.
  setInterval(() => call("GET", path).then(renderHandoff).catch(() => {}), 3000);
}

document.addEventListener("DOMContentLoaded", () => {
  const page = document.body.dataset.page;
  if (page === "login") initLogin();
  if (page === "queue") initQueue();
  if (page === "handoff") initHandoff();
  if (page === "response") initResponse();
});

// Marketing's response editor: live previews and the compliance review as one types, publish, roll back.
function variationsOf(form) {
  return Array.from(form.querySelectorAll("fieldset.variation")).map((fieldset, index) => {
    const raw = fieldset.querySelector("[name=settings]").value.trim();
    let settings = {};
    try { settings = raw ? JSON.parse(raw) : {}; } catch (error) {
      throw new Error("Variation " + (index + 1) + ": the settings are not valid JSON (" + error.message + ")");
    }
    const text = fieldset.querySelector("[name=text]").value;
    return text ? Object.assign({}, settings, { text }) : settings;
  });
}

function showProblems(problems) {
  document.getElementById("problems").replaceChildren(...problems.map((p) => el("li", p)));
  document.getElementById("clean").hidden = problems.length > 0;
  document.getElementById("publish").disabled = problems.length > 0;
}

function showPreview(fieldset, preview) {
  const sms = preview.sms;
  fieldset.querySelector(".sms-bubble").textContent = preview.text;
  fieldset.querySelector(".sms-meta").textContent = sms.encoding + " · " + sms.units + " of " + sms.per_segment
    + " per segment · " + sms.segments + " segment" + (sms.segments === 1 ? "" : "s");
  const web = fieldset.querySelector(".web-bubble");
  web.replaceChildren(document.createTextNode(preview.text), ...preview.buttons.map((t) => el("span", t, "web-button")));
}

async function postJson(path, body) {
  const response = await fetch(API + path, {
    method: "POST", headers: WRITE_HEADERS, body: JSON.stringify(body), credentials: "same-origin",
  });
  if (response.status === 401) { window.location.assign("/console/login"); throw new Error("signed out"); }
  return { ok: response.ok, status: response.status, data: await response.json() };
}

function problemsOf(result) {
  const detail = result.data && result.data.detail;
  if (detail && Array.isArray(detail.problems)) return detail.problems;
  return [typeof detail === "string" ? detail : "The draft was refused (" + result.status + ")."];
}

function initResponse() {
  const form = document.getElementById("editor");
  const base = "/responses/" + encodeURIComponent(form.dataset.name);
  const status = document.getElementById("status");
  let timer = null;
  const refresh = async () => {
    let variations;
    try { variations = variationsOf(form); } catch (error) { showProblems([error.message]); return; }
    const result = await postJson(base + "/preview", { variations });
    if (!result.ok) { showProblems(problemsOf(result)); return; }
    form.querySelectorAll("fieldset.variation").forEach((f, i) => showPreview(f, result.data.variations[i]));
    showProblems(result.data.problems);
  };
  form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(refresh, 300); });
  form.addEventListener("click", (event) => {
    if (!event.target.classList.contains("remove-variation")) return;
    if (form.querySelectorAll("fieldset.variation").length === 1) return;
    event.target.closest("fieldset").remove();
    refresh();
  });
  document.getElementById("add-variation").addEventListener("click", () => {
    const fieldsets = form.querySelectorAll("fieldset.variation");
    const copy = fieldsets[fieldsets.length - 1].cloneNode(true);
    copy.querySelectorAll("textarea").forEach((t) => { t.value = ""; });
    copy.querySelector("legend").textContent = "New variation";
    document.getElementById("variations").append(copy);
    refresh();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let variations;
    try { variations = variationsOf(form); } catch (error) { showProblems([error.message]); return; }
    const result = await postJson(base + "/versions", { variations, note: form.note.value });
    if (!result.ok) { showProblems(problemsOf(result)); status.textContent = "Not published."; return; }
    status.textContent = "Published as version " + result.data.number + ". The bot uses it from its next message.";
    window.location.reload();
  });
  document.querySelectorAll("button.rollback").forEach((button) => {
    button.addEventListener("click", async () => {
      const version = Number(button.dataset.version);
      if (!window.confirm("Make version " + version + " live again (as a new version)?")) return;
      const result = await postJson(base + "/rollback", { version });
      if (!result.ok) { showProblems(problemsOf(result)); return; }
      window.location.reload();
    });
  });
}
