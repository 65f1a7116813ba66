// Suggestions while typing, on top of the search form that works without JavaScript.
(function () {
  var input = document.getElementById("q");
  var list = document.getElementById("suggesties");
  if (!input || !list || !window.fetch) return;
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { list.innerHTML = ""; return; }
    timer = setTimeout(function () {
      fetch("/zoeken.json?q=" + encodeURIComponent(q))
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (doc) {
          if (!doc) return;
          list.innerHTML = "";
          var seen = {};
          doc.groepen.forEach(function (g) {
            g.resultaten.slice(0, 5).forEach(function (r) {
              if (seen[r.naam]) return;  // e.g. a gemeente and its OCMW share a name
              seen[r.naam] = true;
              var option = document.createElement("option");
              option.value = r.naam;
              option.label = r.soort;
              list.appendChild(option);
            });
          });
        });
    }, 150);
  });
})();
