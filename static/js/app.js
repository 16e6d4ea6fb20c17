// Small progressive enhancements; the pages work without them.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }
  for (const button of document.querySelectorAll("[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});

// The navigation's menus: one open at a time; a click elsewhere or Escape closes them.
document.addEventListener("DOMContentLoaded", () => {
  const menus = [...document.querySelectorAll("details[data-navmenu]")];
  for (const menu of menus) {
    menu.addEventListener("toggle", () => {
      if (menu.open) for (const other of menus) if (other !== menu) other.open = false;
    });
  }
  document.addEventListener("click", (event) => {
    for (const menu of menus) if (!menu.contains(event.target)) menu.open = false;
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const menu of menus) {
      if (menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    }
  });
});

// The session ends after a while without activity: warn a few minutes before, offer to continue.
document.addEventListener("DOMContentLoaded", () => {
  const body = document.body;
  const box = document.getElementById("session-warning");
  if (!box || !body.dataset.sessionRemaining) return;
  const warning = Number(body.dataset.sessionWarning);
  let endsAt = Date.now() + Number(body.dataset.sessionRemaining) * 1000;
  const countdown = box.querySelector("[data-session-countdown]");
  const show = (state) => {
    box.hidden = state === "none";
    for (const el of box.querySelectorAll("[data-session-state]")) {
      el.hidden = el.dataset.sessionState !== state;
    }
  };
  const format = (seconds) => {
    const m = Math.floor(seconds / 60);
    const s = String(seconds % 60).padStart(2, "0");
    return `${m}:${s}`;
  };
  const ask = async () => {
    // Another tab may have kept the session alive: ask the server before warning.
    try {
      const response = await fetch(body.dataset.sessionStatusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) endsAt = Date.now() + (await response.json()).remaining * 1000;
      else endsAt = Date.now();
    } catch (error) {
      /* offline: keep the local estimate */
    }
  };
  let asked = false;
  const tick = async () => {
    let left = Math.round((endsAt - Date.now()) / 1000);
    if (left <= warning && !asked) {
      asked = true;
      await ask();
      left = Math.round((endsAt - Date.now()) / 1000);
    }
    if (left > warning) {
      asked = false;
      show("none");
    } else if (left > 0) {
      countdown.textContent = format(left);
      show("warning");
    } else {
      show("ended");
    }
  };
  const form = box.querySelector("form[data-session-keepalive]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (response.ok) {
      endsAt = Date.now() + (await response.json()).remaining * 1000;
      asked = false;
    } else {
      endsAt = Date.now();
    }
    tick();
  });
  tick();
  window.setInterval(tick, 1000);
});

// After a re-login, the form that arrived after the session had ended is posted again.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-resume]");
  if (form) form.submit();
});

// A visible "tick all" button for a group of checkboxes (never ticked in advance).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-check-all]")) {
    button.addEventListener("click", () => {
      const group = button.dataset.checkAll;
      for (const box of document.querySelectorAll(`[data-check-group="${group}"] input[type=checkbox], input[type=checkbox][data-check-group="${group}"]`)) {
        box.checked = true;
      }
    });
  }
});
