// Suggestions while typing, on top of the search form (which works without this script): the ARIA 1.2
// combobox pattern. Arrow keys move through the suggestions, Enter opens the one chosen (or searches what was
// typed), Escape closes the list; a status line tells screen readers how many suggestions there are.
(function () {
  var input = document.getElementById("q");
  if (!input || !input.form || !window.fetch || !window.AbortController) return;
  var form = input.form;
  var old = document.getElementById("suggesties");
  if (old) old.parentNode.removeChild(old);
  input.removeAttribute("list");

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = "/static/zoeken.css";
  document.head.appendChild(css);
  var list = document.createElement("ul");
  list.id = "suggesties";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggesties");
  list.hidden = true;
  var status = document.createElement("p");
  status.className = "zoek-status";
  status.setAttribute("role", "status");
  form.appendChild(list);
  form.appendChild(status);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  var items = [], active = -1, timer = null, pending = null;
  var day = form.querySelector("input[name=op]");

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function open() {
    if (!items.length) return;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }
  function go(i) {
    var url = items[i].url;
    if (day && day.value) url += (url.indexOf("?") < 0 ? "?" : "&") + "op=" + encodeURIComponent(day.value);
    window.location.href = url;
  }
  function mark(i) {
    var options = list.children;
    for (var n = 0; n < options.length; n++) options[n].setAttribute("aria-selected", n === i ? "true" : "false");
    active = i;
    if (i < 0) { input.removeAttribute("aria-activedescendant"); return; }
    input.setAttribute("aria-activedescendant", options[i].id);
    if (options[i].scrollIntoView) options[i].scrollIntoView({ block: "nearest" });
  }
  function show(doc) {
    items = doc.suggesties;
    list.textContent = "";
    items.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "suggestie-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var name = document.createElement("span");
      name.className = "naam";
      name.textContent = r.naam;
      var detail = document.createElement("span");
      detail.className = "detail";
      detail.textContent = r.soort;
      li.appendChild(name);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(detail);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep the focus in the box
      li.addEventListener("click", function () { go(i); });
      list.appendChild(li);
    });
    active = -1;
    status.textContent = items.length
      ? items.length + (items.length === 1 ? " suggestie" : " suggesties") + ", kies met de pijltjestoetsen"
      : "Geen suggesties; druk op Enter om te zoeken";
    if (items.length) open(); else close();
  }
  function ask() {
    var q = input.value.trim();
    if (q.length < 2) { items = []; list.textContent = ""; status.textContent = ""; close(); return; }
    if (pending) pending.abort();
    pending = new AbortController();
    fetch("/zoeken/suggesties.json?q=" + encodeURIComponent(q), { signal: pending.signal })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (doc) { if (doc && input.value.trim() === q) show(doc); })
      .catch(function () { /* a newer question replaced this one, or the network failed: the form still works */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!items.length) return;
      e.preventDefault();
      if (list.hidden) { open(); mark(e.key === "ArrowDown" ? 0 : items.length - 1); return; }
      var next = active + (e.key === "ArrowDown" ? 1 : -1);
      mark(next < -1 ? items.length - 1 : next >= items.length ? -1 : next);
    } else if (e.key === "Enter" && !list.hidden && active >= 0) {
      e.preventDefault();
      go(active);
    } else if (e.key === "Escape" && !list.hidden) {
      e.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", function () { close(); });
  input.addEventListener("focus", function () { if (items.length && input.value.trim().length >= 2) open(); });
})();
