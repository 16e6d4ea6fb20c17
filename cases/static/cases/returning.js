// The intake page: earlier persons who may be the one at the door, found as the clerk types.
// "This is the same person" puts the person's id in the form's hidden returning_person field;
// "A different person" (or no choice) leaves it empty: a new person. The page works without it.
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector("[data-returning]");
  const form = panel && panel.closest("form");
  const hidden = form && form.querySelector("input[name=returning_person]");
  if (!panel || !hidden) return;
  const input = (name) => form.querySelector(`[name=${name}]`);
  const fields = ["name", "id_number", "birth_date", "hometown"].map(input).filter(Boolean);
  const list = panel.querySelector("[data-returning-list]");
  const rowTemplate = panel.querySelector("template[data-returning-row]");
  const text = (key) => panel.querySelector(`[data-text=${key}]`).textContent;
  const dismissed = new Set(); // "a different person": not suggested again on this page
  let shown = new Map(); // id -> candidate, as last rendered
  let timer = null;
  let controller = null;

  // Under the identity fields: after the hometown (the last of them the search reads).
  const hometown = input("hometown");
  const anchor = hometown && hometown.closest(".field");
  if (anchor) anchor.after(panel);

  const identified = () => {
    const unknown = form.querySelector("input[name=identified][value='0']");
    return !(unknown && unknown.checked);
  };

  // "{1} to {2}" with values[0], values[1].
  const format = (template, values) =>
    template.replace(/\{(\d+)\}/g, (match, n) => (n - 1 in values ? values[n - 1] : match));

  const render = (candidates) => {
    const chosen = hidden.value;
    shown = new Map();
    list.replaceChildren();
    for (const c of candidates) {
      if (dismissed.has(String(c.id)) && !c.same_id_number) continue;
      shown.set(String(c.id), c);
      const row = rowTemplate.content.firstElementChild.cloneNode(true);
      row.dataset.personId = c.id;
      const slot = (name) => row.querySelector(`[data-slot=${name}]`);
      slot("name").textContent = c.name;
      slot("birth_year").textContent = c.birth_year ? format(text("born"), [c.birth_year]) : "";
      slot("hometown").textContent = c.hometown;
      slot("id_number").textContent = c.id_number;
      slot("stays").textContent = format(text("stays"), [c.stays]);
      slot("last").textContent = c.last_admitted_on
        ? format(text("last"), [c.last_admitted_on, c.last_left_on || text("present")])
        : "";
      slot("reason_label").textContent = c.reason_label;
      if (c.same_id_number) {
        // The same ID number is the same person: no choice to make.
        for (const button of row.querySelectorAll("[data-choose]")) button.hidden = true;
        slot("linked").hidden = false;
      }
      const isChosen = chosen === String(c.id);
      row.classList.toggle("is-chosen", isChosen);
      row.querySelector("[data-choose=same]").setAttribute("aria-pressed", String(isChosen));
      slot("chosen").hidden = !isChosen;
      list.append(row);
    }
    panel.hidden = list.children.length === 0;
  };

  const search = async () => {
    if (controller) controller.abort();
    const params = new URLSearchParams();
    for (const field of fields) params.set(field.name, field.value.trim());
    const name = params.get("name") || "";
    const idNumber = params.get("id_number") || "";
    if (!identified() || (name.length < 2 && idNumber.length < 15)) {
      render(hidden.value && shown.has(hidden.value) ? [shown.get(hidden.value)] : []);
      return;
    }
    controller = new AbortController();
    try {
      const response = await fetch(`${panel.dataset.url}?${params}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (!response.ok) return;
      const data = await response.json();
      let candidates = data.candidates;
      // The person chosen stays in view while the clerk goes on typing.
      if (hidden.value && shown.has(hidden.value) && !candidates.some((c) => String(c.id) === hidden.value)) {
        candidates = [shown.get(hidden.value), ...candidates];
      }
      render(candidates);
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  };

  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(search, 350);
  };
  for (const field of fields) {
    field.addEventListener("input", soon);
    field.addEventListener("change", soon);
  }
  for (const radio of form.querySelectorAll("input[name=identified]")) {
    radio.addEventListener("change", () => {
      if (!identified()) hidden.value = ""; // an unidentified person is a new person
      soon();
    });
  }

  list.addEventListener("click", (event) => {
    const button = event.target.closest("[data-choose]");
    if (!button) return;
    const id = button.closest("[data-person-id]").dataset.personId;
    if (button.dataset.choose === "same") {
      hidden.value = id;
    } else {
      if (hidden.value === id) hidden.value = "";
      dismissed.add(id);
    }
    render([...shown.values()]);
  });

  if (fields.some((field) => field.value.trim())) search(); // the form shown again after an error
});
