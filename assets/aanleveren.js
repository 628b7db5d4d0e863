/* Proeftuinmonitor: the upload on /aanleveren (dashboard/pages/aanleveren.py).
 *
 * Dash has no file input of its own but dcc.Upload, which sends a file base64-encoded inside a
 * callback. Here the page's slot gets a plain <input type="file">, and the button sends the file
 * itself as the body of a POST to the route in dashboard/upload.py, which streams it to disk with
 * a running size check. The answer (JSON) is drawn into the status region with textContent only:
 * nothing of the file or the answer is ever parsed as HTML. A file over the limit is refused
 * here before sending, and by the server again. */
(function () {
  "use strict";

  var FORM = "aanlever-formulier";
  var SLOT = "aanlever-bestand-plek";
  var INPUT = "aanlever-bestand";
  var BUTTON = "aanlever-knop";
  var RESULT = "aanlever-resultaat";
  var HTTP_TEXT = {
    401: "U bent niet (meer) ingelogd. Laad de pagina opnieuw en log in.",
    403: "U mag voor deze proeftuin niet aanleveren, of het verzoek kwam niet van deze site.",
    413: "Het bestand is te groot en is niet gelezen; er is niets opgeslagen."
  };

  function mount() {
    var slot = document.getElementById(SLOT);
    if (!slot || document.getElementById(INPUT)) {
      return;
    }
    var input = document.createElement("input");
    input.type = "file";
    input.id = INPUT;
    input.name = "bestand";
    input.accept = ".csv,.xlsx,.parquet";
    input.className = "form-control";
    slot.appendChild(input);
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function value(id) {
    var node = document.getElementById(id);
    return node ? node.value : "";
  }

  function findingsTable(answer) {
    var table = el("table", null, "table table-sm pm-aanlever-bevindingen");
    var shown = answer.bevindingen.length;
    var caption = shown < answer.totaal_bevindingen
      ? "De eerste " + shown + " van " + answer.totaal_bevindingen + " bevindingen"
      : "Bevindingen";
    table.appendChild(el("caption", caption));
    var head = el("thead");
    var row = el("tr");
    ["Rij", "Kolom", "Regel", "Ernst"].forEach(function (name) {
      var th = el("th", name);
      th.scope = "col";
      row.appendChild(th);
    });
    head.appendChild(row);
    table.appendChild(head);
    var body = el("tbody");
    answer.bevindingen.forEach(function (finding) {
      var tr = el("tr");
      tr.appendChild(el("td", finding[0] === "" ? "bestand" : finding[0]));
      tr.appendChild(el("td", finding[1]));
      tr.appendChild(el("td", finding[2]));
      tr.appendChild(el("td", finding[3]));
      body.appendChild(tr);
    });
    table.appendChild(body);
    return table;
  }

  function show(answer) {
    var region = document.getElementById(RESULT);
    if (!region) {
      return;
    }
    region.replaceChildren();
    var line = el("p", null, "pm-aanlever-uitkomst");
    line.appendChild(el("strong", answer.uitkomst, "pm-uitkomst-" + answer.uitkomst));
    line.appendChild(document.createTextNode(": " + answer.melding));
    region.appendChild(line);
    if (answer.bevindingen && answer.bevindingen.length) {
      region.appendChild(findingsTable(answer));
    }
    if (answer.rapport) {
      // The report is UTF-8 with a byte-order mark, as the command line writes it (Excel reads it so).
      var blob = new Blob(["\ufeff" + answer.rapport], {type: "text/csv;charset=utf-8"});
      var link = el("a", "Download het volledige foutrapport (CSV)", "pm-aanlever-rapport");
      link.href = URL.createObjectURL(blob);
      link.download = answer.rapport_naam;
      link.id = "aanlever-rapport";
      region.appendChild(link);
    }
  }

  function send() {
    var form = document.getElementById(FORM);
    var input = document.getElementById(INPUT);
    var button = document.getElementById(BUTTON);
    var file = input && input.files && input.files[0];
    if (!file) {
      show({uitkomst: "geweigerd", melding: "Kies eerst een bestand."});
      return;
    }
    var limit = Number(form.getAttribute("data-max-bytes"));
    if (limit && file.size > limit) {
      show({uitkomst: "geweigerd", melding: "Het bestand is groter dan " + form.getAttribute("data-max-mb")
        + " MB en is niet verstuurd; er is niets opgeslagen."});
      return;
    }
    var params = new URLSearchParams();
    ["proeftuin", "soort", "periode"].forEach(function (name) {
      var chosen = value("aanlever-" + name);
      if (chosen && chosen !== form.getAttribute("data-uit-naam")) {
        params.set(name, chosen);
      }
    });
    var checkOnly = document.getElementById("aanlever-controleren");
    if (checkOnly && checkOnly.checked) {
      params.set("controleren", "1");
    }
    button.disabled = true;
    var region = document.getElementById(RESULT);
    region.replaceChildren(el("p", "Bezig met controleren van " + file.name + "…"));
    fetch(form.getAttribute("data-url") + "?" + params.toString(), {
      method: "POST",
      body: file,
      credentials: "same-origin",
      headers: {"Content-Type": "application/octet-stream", "X-Bestandsnaam": encodeURIComponent(file.name)}
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === 0) {
        return response.json();
      }
      return {uitkomst: "geweigerd", melding: HTTP_TEXT[response.status]
        || "Het bestand kon niet worden verwerkt (fout " + response.status + "); er is niets opgeslagen."};
    }).catch(function () {
      return {uitkomst: "geweigerd", melding: "De verbinding met de server is verbroken; probeer het opnieuw."};
    }).then(function (answer) {
      button.disabled = false;
      show(answer);
    });
  }

  document.addEventListener("click", function (event) {
    if (event.target && event.target.id === BUTTON) {
      send();
    }
  });
  new MutationObserver(mount).observe(document.documentElement, {childList: true, subtree: true});
})();
