// The studio page: the editor on the left, the live preview on the right.
// Every edit is checked a moment after typing stops; when the spec has no errors the
// chosen document is rendered again. A newer edit supersedes older requests: their
// answers are dropped here (and the server drops renders that have not started).

import "./studio.css";
import { ApiError, call, download, json } from "./api.js";
import { createEditor, markers, setText, showDiagnostics, toLint, useSchema } from "./editor.js";

const PAUSE_MS = 350; // how long typing must stop before the spec is checked and rendered
const $ = (selector) => document.querySelector(selector);
const slot = Math.random().toString(36).slice(2); // this tab's preview slot on the server

const state = {
  spec: null, // the spec's name in the folder
  saved: "", // its text as last loaded or saved
  document: "brief", // the document previewed
  diagnostics: [],
  edits: 0, // bumped on every change; answers for an older value are stale
  shownPreview: 0, // the edit number of the preview on screen
  timer: null,
  inflight: null, // the AbortController of the latest check-and-render
};

// Asked before the editor is built, so the folder's answer is on its way meanwhile.
const folderAsked = json("GET", "/api/specs");
folderAsked.catch(() => {}); // read by start(), which reports a failure

const view = createEditor($("#editor"), { onChange: changed, onSave: save });

function text() { return view.state.doc.toString(); }

function setStatus(message, kind = "") {
  const status = $("#status");
  status.textContent = message;
  status.dataset.kind = kind;
}

function changed() {
  state.edits += 1;
  markDirty();
  clearTimeout(state.timer);
  state.timer = setTimeout(refresh, PAUSE_MS);
  $("#preview").classList.add("pending");
}

function markDirty() {
  const dirty = text() !== state.saved;
  $("#save").disabled = !dirty;
  $("#dirty").hidden = !dirty;
  document.title = `${dirty ? "● " : ""}${state.spec || "studio"} — framework-kit studio`;
}

// --- checking ------------------------------------------------------------------------

async function refresh(opening = false) {
  const edit = state.edits;
  if (state.inflight) state.inflight.abort();
  const controller = new AbortController();
  state.inflight = controller;
  const body = text();
  const ask = (path, params = {}) => json("POST", path, { spec: state.spec, ...params }, body, controller.signal);
  // On opening a spec, the three questions at once: its first preview is most of the wait, and
  // a spec on disk is usually clean. While typing, the check goes first: a spec with errors
  // is not rendered (nor does the browser log the render's refusal).
  const asked = state.document;
  const early = opening ? [ask("/api/documents"), ask("/api/preview", { document: asked, slot })] : [];
  for (const answer of early) answer.catch(() => {}); // read below, or dropped with the edit
  try {
    const diagnostics = await ask("/api/check");
    if (edit !== state.edits) return;
    showProblems(diagnostics);
    if (diagnostics.some((d) => d.severity === "error")) {
      stalePreview("The spec has errors: fix them to see the documents again. The pages below are the last version without errors.");
      return;
    }
    listDocuments(await (early[0] || ask("/api/documents")));
    if (edit !== state.edits) return;
    const rendered = early[1] && state.document === asked ? early[1] : ask("/api/preview", { document: state.document, slot });
    preview(edit, await rendered);
  } catch (error) {
    if (error.name === "AbortError" || edit !== state.edits) return;
    if (error.status === 409) return; // a newer preview was asked for
    if (error.diagnostics) { showProblems(error.diagnostics); stalePreview("The documents could not be rendered: see the problems."); return; }
    stalePreview(`The studio could not answer: ${error.message}`);
  }
}

function showProblems(diagnostics) {
  state.diagnostics = diagnostics;
  showDiagnostics(view, toLint(view.state.doc, diagnostics, explain));
  const list = $("#problems-list");
  list.replaceChildren();
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  $("#problems-summary").textContent = diagnostics.length === 0 ? "No problems"
    : [errors && `${errors} error${errors > 1 ? "s" : ""}`, warnings && `${warnings} warning${warnings > 1 ? "s" : ""}`].filter(Boolean).join(", ");
  $("#problems").dataset.state = errors ? "errors" : warnings ? "warnings" : "clean";
  for (const d of diagnostics) {
    const item = document.createElement("li");
    Object.assign(item.dataset, { code: d.code, line: d.line, column: d.column, severity: d.severity });
    const where = document.createElement("button");
    where.className = "where";
    where.textContent = `${d.line}:${d.column}`;
    where.title = "Go to this line";
    where.onclick = () => goTo(d.line, d.column);
    const code = document.createElement("button");
    code.className = `code ${d.severity}`;
    code.textContent = d.code;
    code.title = `What ${d.code} checks, why, and how to fix it`;
    code.onclick = () => explain(d.code);
    const message = document.createElement("span");
    message.className = "message";
    message.textContent = d.message;
    item.append(where, code, message);
    if (d.help) {
      const help = document.createElement("span");
      help.className = "help";
      help.textContent = d.help;
      item.append(help);
    }
    list.append(item);
  }
}

function goTo(line, column) {
  const number = Math.min(Math.max(line, 1), view.state.doc.lines);
  const target = view.state.doc.line(number);
  const pos = Math.min(target.from + Math.max(column - 1, 0), target.to);
  view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
  view.focus();
}

async function explain(code) {
  try {
    const response = await call("GET", `/api/explain/${encodeURIComponent(code)}`);
    $("#explain-text").textContent = await response.text();
  } catch (error) {
    $("#explain-text").textContent = error.message;
  }
  $("#explain").hidden = false;
}

// --- the preview ---------------------------------------------------------------------

function listDocuments(documents) {
  const select = $("#document");
  const names = documents.map((d) => d.name);
  if (!names.includes(state.document)) state.document = names[0] || "brief";
  const same = select.options.length === documents.length
    && documents.every((d, i) => select.options[i].value === d.name && select.options[i].text === d.title);
  if (!same) {
    select.replaceChildren(...documents.map((d) => new Option(d.title, d.name)));
  }
  select.value = state.document;
  select.disabled = documents.length === 0;
}

function preview(edit, shown) {
  if (edit !== state.edits || shown.name !== state.document) return;
  state.shownPreview = edit;
  $("#preview-title").textContent = shown.title;
  const pages = $("#pages");
  pages.replaceChildren(...shown.pages.map((src, index) => {
    const image = new Image();
    image.src = src;
    image.alt = `${shown.title}, page ${index + 1} of ${shown.pageCount}`;
    image.className = "page";
    return image;
  }));
  if (shown.pageCount > shown.pages.length) {
    const more = document.createElement("p");
    more.className = "more";
    more.textContent = `${shown.pageCount - shown.pages.length} more pages: download the PDF to see them all.`;
    pages.append(more);
  }
  $("#preview").classList.remove("pending", "stale");
  $("#preview-note").hidden = true;
  $("#preview").dataset.ready = "true";
  setDownloads(true);
}

function stalePreview(message) {
  if (!state.shownPreview) { // nothing rendered yet: there are no earlier pages to speak of
    message = message.replace(/ The pages below are the last version without errors\./, "");
    if (!$("#document").options.length) $("#document").replaceChildren(new Option("No documents: fix the errors", ""));
  }
  $("#preview").classList.remove("pending");
  $("#preview").classList.add("stale");
  $("#preview-note").textContent = message;
  $("#preview-note").hidden = false;
  setDownloads(false);
}

function setDownloads(enabled) {
  for (const button of document.querySelectorAll(".needs-clean")) button.disabled = !enabled;
}

$("#document").addEventListener("change", (event) => {
  state.document = event.target.value;
  $("#preview").classList.add("pending");
  state.edits += 1; // a new request; older answers are stale
  refresh();
});

// --- files -----------------------------------------------------------------------------

async function fetchFile(params, fallback) {
  setStatus("Rendering…");
  try {
    const response = await call("POST", "/api/render", { spec: state.spec, ...params }, text());
    const name = await download(response, fallback);
    setStatus(`Downloaded ${name}`, "ok");
  } catch (error) {
    setStatus(error.diagnostics ? "The spec has errors: nothing to download" : error.message, "error");
  }
}

$("#download-pdf").onclick = () => fetchFile({ document: state.document, format: "pdf" }, "document.pdf");
$("#download-docx").onclick = () => fetchFile({ document: state.document, format: "docx" }, "document.docx");
$("#download-all").onclick = () => fetchFile({ format: "zip" }, "documents.zip");

const mailForm = $("#mail-form");
$("#download-mail").onclick = () => {
  for (const field of ["from", "to", "cc", "subject"]) {
    mailForm.elements[field].value = localStorage.getItem(`kit-mail-${field}`) || mailForm.elements[field].value;
  }
  $("#mail-error").textContent = "";
  $("#mail").showModal();
};
$("#mail-cancel").onclick = () => $("#mail").close();
mailForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const field = (name) => mailForm.elements[name].value.trim();
  const list = (name) => field(name).split(/[,;]/).map((a) => a.trim()).filter(Boolean);
  for (const name of ["from", "to", "cc", "subject"]) localStorage.setItem(`kit-mail-${name}`, field(name));
  try {
    const response = await call("POST", "/api/mail",
      { spec: state.spec, from: field("from"), to: list("to"), cc: list("cc"), subject: field("subject") }, text());
    const name = await download(response, "brief.eml");
    $("#mail").close();
    setStatus(`Downloaded ${name}: open it in your mail client`, "ok");
  } catch (error) {
    $("#mail-error").textContent = error.diagnostics ? "The spec has errors: fix them first." : error.message;
  }
});

// --- the spec on disk ------------------------------------------------------------------

async function save() {
  if (!state.spec) return;
  const body = text();
  try {
    await call("PUT", "/api/spec", { spec: state.spec }, body);
    state.saved = body;
    markDirty();
    setStatus(`Saved ${state.spec} at ${new Date().toLocaleTimeString()}`, "ok");
  } catch (error) {
    setStatus(`Not saved: ${error.message}`, "error");
  }
}
$("#save").onclick = save;

async function open(name) {
  const response = await call("GET", "/api/spec", { spec: name });
  state.spec = name;
  state.saved = await response.text();
  setText(view, state.saved);
  markDirty();
  setStatus(`Opened ${name}`);
  clearTimeout(state.timer);
  await refresh(true);
}

$("#spec").addEventListener("change", async (event) => {
  if (text() !== state.saved && !confirm(`${state.spec} has unsaved changes. Open ${event.target.value} and lose them?`)) {
    event.target.value = state.spec;
    return;
  }
  await open(event.target.value);
});

window.addEventListener("beforeunload", (event) => {
  if (text() !== state.saved) event.preventDefault();
});

$("#explain-close").onclick = () => { $("#explain").hidden = true; };

async function start() {
  const folder = await folderAsked;
  $("#folder").textContent = folder.folder;
  $("#spec").replaceChildren(...folder.specs.map((name) => new Option(name, name)));
  $("#spec").disabled = folder.specs.length < 2;
  if (!folder.current) {
    setStatus("This folder holds no spec (.yaml). Start one with: kit init my-process.yaml", "error");
    return;
  }
  $("#spec").value = folder.current;
  await open(folder.current);
  // Completion's schema after the first preview: the studio's start-up is busy until then.
  json("GET", "/api/schema").then((schema) => useSchema(schema)).catch(() => {});
}

// For tests and the curious: the editor and the markers it shows.
window.studio = { view, markers: () => markers(view), state };

start().catch((error) => setStatus(error instanceof ApiError ? error.message : String(error), "error"));
