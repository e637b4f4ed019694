// threadguard moderator app: keyboard triage (Coral Talk's keys), bulk decisions, undo, live comment
// pages, local times and the ingest upload. Decisions go to /api/v1/decisions with the session's CSRF
// token; comment text from the server is only ever set as textContent, never inserted as HTML.
"use strict";

(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const items = () => Array.from(document.querySelectorAll(".item"));
  const onQueue = document.getElementById("queue") !== null;
  const detail = document.querySelector("article.detail");
  let focus = -1; // nothing is current until the moderator moves (j/k or a click)
  let lastDecision = null; // {ids, action}: what "u" undoes

  function toast(message, bad) {
    const box = document.getElementById("toast");
    box.textContent = message;
    box.className = bad ? "show bad" : "show";
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => (box.className = ""), 3000);
  }

  function newRequestId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // Times: the server writes UTC; show the moderator's local time (and keep "3 h ago" texts as they are).
  function localTimes(root) {
    root.querySelectorAll('time[data-time="local"]').forEach((t) => {
      const when = new Date(t.getAttribute("datetime"));
      if (!isNaN(when)) {
        t.textContent = when.toLocaleString(undefined, {
          year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
        });
      }
    });
  }

  async function post(body) {
    const response = await fetch("/api/v1/decisions", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      toast((answer.error && answer.error.message) || "decision failed", true);
      return null;
    }
    return answer;
  }

  async function decide(rows, action) {
    if (!rows.length) {
      toast(onQueue ? "Move to a comment first (j / k), or select some (x)." : "Nothing to decide.", true);
      return false;
    }
    const reasonBox = document.getElementById("reason");
    const answer = await post({
      comment_ids: rows.map((r) => Number(r.dataset.id)),
      action: action,
      reason: reasonBox && reasonBox.value ? reasonBox.value : null,
      request_id: newRequestId(),
    });
    if (!answer) return false;
    const status = {};
    for (const c of answer.comments) status[c.id] = c.status;
    for (const row of rows) {
      row.querySelectorAll(".status").forEach((s) => (s.textContent = status[row.dataset.id]));
      row.dataset.status = status[row.dataset.id];
      row.classList.toggle("done", action !== "undo");
      row.classList.remove("selected");
      const box = row.querySelector(".pick");
      if (box) box.checked = false;
    }
    lastDecision = action === "undo" ? null : { ids: rows.map((r) => r.dataset.id), action: action };
    const undoButton = document.getElementById("undo");
    if (undoButton) undoButton.disabled = lastDecision === null;
    updateCount();
    const n = rows.length;
    toast((n === 1 ? "1 comment" : n + " comments") + ": " + (action === "undo" ? "decision undone" : action));
    if (detail) refreshDetail();
    return true;
  }

  async function undo() {
    if (!lastDecision && !detail) {
      toast("No decision to undo on this page.", true);
      return;
    }
    const ids = lastDecision ? lastDecision.ids : [detail.dataset.id];
    const rows = items().filter((r) => ids.includes(r.dataset.id));
    await decide(rows, "undo");
  }

  // The comment page after a decision: status, buttons, audit trail, all from the API, as text.
  async function refreshDetail() {
    const response = await fetch("/api/v1/comments/" + detail.dataset.id, { credentials: "same-origin" });
    if (!response.ok) return;
    const c = await response.json();
    detail.dataset.status = c.status;
    document.getElementById("status").textContent = c.status;
    showButtons(c.status);
    const trail = document.getElementById("trail");
    trail.replaceChildren();
    for (const e of c.audit) {
      const li = document.createElement("li");
      const when = new Date(e.at).toLocaleString(undefined, {
        year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
      });
      li.textContent = [when, e.actor, e.action].join(" · ") + (e.reason ? " · “" + e.reason + "”" : "");
      trail.appendChild(li);
    }
    const undoOne = document.getElementById("undo-one");
    if (undoOne) undoOne.hidden = !c.audit.length || c.audit[0].action === "undo";
    document.querySelectorAll('.history .status[data-comment="' + c.id + '"]').forEach((s) => (s.textContent = c.status));
  }

  function showButtons(status) {
    document.querySelectorAll("[data-hide-when]").forEach((button) => {
      button.hidden = button.dataset.hideWhen.split(" ").includes(status);
    });
  }

  function setFocus(index) {
    const list = items();
    if (!list.length) return;
    focus = Math.max(0, Math.min(index, list.length - 1));
    list.forEach((row, i) => row.classList.toggle("focused", i === focus));
    list[focus].scrollIntoView({ block: "nearest" });
  }

  function current() {
    const list = items();
    if (detail) return [detail];
    return focus >= 0 && focus < list.length ? [list[focus]] : [];
  }

  function selected() {
    return items().filter((row) => row.classList.contains("selected"));
  }

  function updateCount() {
    const count = document.getElementById("selected-count");
    if (count) count.textContent = selected().length + " selected";
  }

  function toggle(row) {
    row.classList.toggle("selected");
    const box = row.querySelector(".pick");
    if (box) box.checked = row.classList.contains("selected");
    updateCount();
  }

  function help() {
    const dialog = document.getElementById("keys-help");
    if (dialog && !dialog.open) dialog.showModal();
  }

  document.addEventListener("keydown", (event) => {
    const tag = event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    const key = event.key;
    const single = { f: "approve", a: "approve", d: "reject", r: "reject", e: "escalate" };
    const bulk = { F: "approve", A: "approve", D: "reject", R: "reject" };
    if (key === "?") help();
    else if (key === "j" && onQueue) setFocus(focus + 1);
    else if (key === "k" && onQueue) setFocus(focus < 0 ? 0 : focus - 1);
    else if (key === "z" && onQueue) document.body.classList.toggle("single-view");
    else if (key === "x" && current().length && onQueue) toggle(current()[0]);
    else if (key === "u") undo();
    else if (key === "/" && document.querySelector('input[name="q"]')) document.querySelector('input[name="q"]').focus();
    else if ((key === "o" || key === "Enter") && onQueue && current().length) {
      const link = current()[0].querySelector("a.open");
      if (link) window.location.href = link.href;
    } else if (bulk[key] && onQueue) decide(selected(), bulk[key]);
    else if (single[key]) {
      const rows = current();
      decide(rows, single[key]).then((done) => {
        if (done && onQueue) setFocus(focus + 1);
      });
    } else return;
    event.preventDefault();
  });

  document.addEventListener("change", (event) => {
    if (event.target.id === "pick-all") {
      items().forEach((row) => {
        row.classList.toggle("selected", event.target.checked);
        const box = row.querySelector(".pick");
        if (box) box.checked = event.target.checked;
      });
      updateCount();
      return;
    }
    if (!event.target.classList.contains("pick")) return;
    const row = event.target.closest(".item");
    row.classList.toggle("selected", event.target.checked);
    updateCount();
  });

  if (onQueue) {
    items().forEach((row, i) =>
      row.addEventListener("click", (event) => {
        if (event.target.closest("a, input, button")) return;
        setFocus(i);
      })
    );
  }
  document.querySelectorAll("[data-bulk]").forEach((button) =>
    button.addEventListener("click", () => decide(selected(), button.dataset.bulk))
  );
  document.querySelectorAll("[data-action]").forEach((button) =>
    button.addEventListener("click", () => (button.dataset.action === "undo" ? undo() : decide(current(), button.dataset.action)))
  );
  const undoButton = document.getElementById("undo");
  if (undoButton) undoButton.addEventListener("click", undo);
  if (detail) showButtons(detail.dataset.status);

  // The author form: a suspension's end typed in local time goes to the server as UTC.
  const authorForm = document.getElementById("author-action");
  if (authorForm) {
    authorForm.addEventListener("submit", () => {
      const until = document.getElementById("author-until");
      if (until && until.value) until.value = new Date(until.value).toISOString().slice(0, 19) + "+00:00";
    });
  }

  // Ingest: upload to /api/v1/ingest with progress, then show the report as text.
  const ingestForm = document.getElementById("ingest-form");
  if (ingestForm) {
    ingestForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const bar = document.getElementById("ingest-progress");
      const phase = document.getElementById("ingest-phase");
      const error = document.getElementById("ingest-error");
      document.getElementById("ingest-progress-line").hidden = false;
      document.getElementById("ingest-report").hidden = true;
      error.hidden = true;
      const request = new XMLHttpRequest();
      request.open("POST", "/api/v1/ingest");
      request.setRequestHeader("X-CSRF-Token", csrf);
      request.upload.onprogress = (e) => {
        if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
        phase.textContent = "uploading " + bar.value + "%";
      };
      request.upload.onload = () => {
        bar.removeAttribute("value"); // indeterminate while the server scores and stores
        phase.textContent = "scoring and storing…";
      };
      request.onload = () => {
        let answer = {};
        try {
          answer = JSON.parse(request.responseText);
        } catch (e) {
          answer = {};
        }
        bar.value = 100;
        if (request.status !== 200) {
          phase.textContent = "failed";
          error.hidden = false;
          error.textContent = (answer.error && answer.error.message) || "the upload failed (" + request.status + ")";
          return;
        }
        phase.textContent = "done";
        showReport(answer);
      };
      request.onerror = () => {
        phase.textContent = "failed";
        error.hidden = false;
        error.textContent = "the connection failed";
      };
      request.send(new FormData(ingestForm));
    });
  }

  function rows(body, pairs) {
    body.replaceChildren();
    for (const [name, value] of pairs) {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      const td = document.createElement("td");
      th.textContent = name;
      td.textContent = String(value);
      td.dataset.key = name;
      tr.append(th, td);
      body.appendChild(tr);
    }
  }

  function showReport(answer) {
    const report = answer.report || {};
    rows(document.getElementById("ingest-counts"), [
      ["format", report.format || ""],
      ["threads", answer.threads],
      ["comments read", report.comments_read],
      ["comments stored (new)", answer.comments_new],
      ["comments already stored", answer.comments_existing],
    ]);
    const labels = JSON.parse(document.getElementById("labels").textContent);
    const warnings = Object.entries(report.warnings || {});
    const named = warnings.map(([k, v]) => [labels[k] || k.replace(/_/g, " "), v]);
    rows(document.getElementById("ingest-warnings"), named.length ? named : [["no repairs needed", ""]]);
    document.getElementById("ingest-report").hidden = false;
  }

  localTimes(document);
})();
