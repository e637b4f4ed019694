// threadguard moderator app: keyboard triage and bulk decisions on the queue and comment pages.
// Decisions go to /api/v1/decisions with the session's CSRF token; comment text is never inserted as HTML.
"use strict";

(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const items = () => Array.from(document.querySelectorAll(".item"));
  let focus = 0;

  function toast(message, bad) {
    const box = document.getElementById("toast");
    box.textContent = message;
    box.className = bad ? "show bad" : "show";
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => (box.className = ""), 2500);
  }

  function newRequestId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function decide(rows, action) {
    if (!rows.length) return;
    const reasonBox = document.getElementById("reason");
    const body = {
      comment_ids: rows.map((r) => Number(r.dataset.id)),
      action: action,
      reason: reasonBox && reasonBox.value ? reasonBox.value : null,
      request_id: newRequestId(),
    };
    const response = await fetch("/api/v1/decisions", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      toast((answer.error && answer.error.message) || "decision failed", true);
      return;
    }
    const status = {};
    for (const c of answer.comments) status[c.id] = c.status;
    for (const row of rows) {
      row.querySelectorAll(".status").forEach((s) => (s.textContent = status[row.dataset.id]));
      row.classList.add("done");
      row.classList.remove("selected");
      const box = row.querySelector(".pick");
      if (box) box.checked = false;
    }
    updateCount();
    toast(rows.length + " comment(s): " + action);
  }

  function setFocus(index) {
    const list = items();
    if (!list.length) return;
    focus = Math.max(0, Math.min(index, list.length - 1));
    list.forEach((row, i) => row.classList.toggle("focused", i === focus));
    list[focus].scrollIntoView({ block: "nearest" });
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

  document.addEventListener("keydown", (event) => {
    const tag = event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    const list = items();
    if (!list.length) return;
    const row = list[focus];
    const actions = { a: "approve", r: "reject", e: "escalate" };
    if (event.key === "j") setFocus(focus + 1);
    else if (event.key === "k") setFocus(focus - 1);
    else if (event.key === "x") toggle(row);
    else if (event.key === "o") {
      const link = row.querySelector("a.open");
      if (link) window.location.href = link.href;
    } else if (event.key === "A") decide(selected(), "approve");
    else if (event.key === "R") decide(selected(), "reject");
    else if (actions[event.key]) {
      decide([row], actions[event.key]).then(() => setFocus(focus + 1));
    } else return;
    event.preventDefault();
  });

  document.addEventListener("change", (event) => {
    if (!event.target.classList.contains("pick")) return;
    const row = event.target.closest(".item");
    row.classList.toggle("selected", event.target.checked);
    updateCount();
  });

  document.querySelectorAll("[data-bulk]").forEach((button) =>
    button.addEventListener("click", () => decide(selected(), button.dataset.bulk))
  );
  document.querySelectorAll("[data-action]").forEach((button) =>
    button.addEventListener("click", () => decide(items(), button.dataset.action))
  );

  setFocus(0);
})();
