// Search-as-you-type pickers (rescue_station/pickers.py): every <select data-picker-url> becomes
// a Tom Select field that asks its endpoint (?q=…) as the user types and shows what it answers.
// The page holds only the chosen records; the endpoint answers at most twenty.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof TomSelect === "undefined") return;
  const escape = (text) =>
    String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  for (const select of document.querySelectorAll("select[data-picker-url]")) {
    const url = select.dataset.pickerUrl;
    const multiple = select.multiple;
    const settings = {
      valueField: "value",
      labelField: "text",
      searchField: [],  // the server has searched: show what it answered, in its order
      maxOptions: 50,
      loadThrottle: 250,
      shouldLoad: (query) => query.trim().length >= 1,
      placeholder: select.dataset.pickerPlaceholder || "",
      plugins: multiple ? ["remove_button"] : ["clear_button"],
      load(query, callback) {
        const target = `${url}?q=${encodeURIComponent(query.trim())}`;
        fetch(target, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then((response) => (response.ok ? response.json() : []))
          .then((rows) => {
            // This search's answers replace the last one's (the chosen records stay).
            this.clearOptions();
            callback(rows);
          })
          .catch(() => callback());
      },
      render: {
        no_results: () => `<div class="no-results">${escape(select.dataset.pickerNone || "")}</div>`,
      },
    };
    if (multiple) settings.closeAfterSelect = true;
    const picker = new TomSelect(select, settings);
    picker.wrapper.dataset.testid = `picker-${select.name}`;
  }
});
