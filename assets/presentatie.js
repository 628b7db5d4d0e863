/* Proeftuinmonitor: presentation mode and the shell's URL-driven links.
 * A file in assets/, not an inline script, so a Content-Security-Policy without
 * 'unsafe-inline' allows it.
 *
 * - pm.shell (a Dash clientside callback, registered in dashboard/app.py): from the URL it
 *   sets the presentation class on the shell, keeps the chosen filters on the navigation
 *   links and computes the presentation on/off links.
 * - Keys while presenting: ArrowRight/PageDown next slide, ArrowLeft/PageUp previous slide,
 *   Escape leaves presentation mode. The slide page renders the previous/next links
 *   (#dia-vorige, #dia-volgende); clicking them keeps navigation inside the Dash app. */
(function () {
  "use strict";

  var FILTERS = ["tranche", "proeftuinen", "van", "tot"];

  function encode(value) {
    // Keep the comma of the proeftuinen list readable, as the server writes it.
    return encodeURIComponent(value).replace(/%2C/gi, ",");
  }

  function query(params, names) {
    var parts = [];
    names.forEach(function (name) {
      if (params.has(name)) {
        parts.push(name + "=" + encode(params.get(name)));
      }
    });
    return parts.join("&");
  }

  function withQuery(path, q) {
    return q ? path + "?" + q : path;
  }

  function isPresenting(pathname, params) {
    return params.get("presentatie") === "1" || pathname === "/presentatie";
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    pm: {
      shell: function (pathname, search, navIds) {
        pathname = pathname || "/";
        var params = new URLSearchParams(search || "");
        var presenting = isPresenting(pathname, params);
        var filters = query(params, FILTERS);
        var hrefs = navIds.map(function (id) {
          return withQuery(id.path, filters);
        });
        var active = navIds.map(function (id) {
          if (id.path === "/") {
            return pathname === "/";
          }
          return pathname === id.path || pathname.indexOf(id.path + "/") === 0;
        });
        var on = withQuery("/presentatie", filters ? filters + "&presentatie=1" : "presentatie=1");
        var rest = [];
        params.forEach(function (value, name) {
          if (name !== "presentatie" && name !== "dia") {
            rest.push(name + "=" + encode(value));
          }
        });
        var off = pathname === "/presentatie" ? withQuery("/", filters) : withQuery(pathname, rest.join("&"));
        return [presenting ? "pm-app pm-presentatie" : "pm-app", hrefs, active, on, off];
      },
    },
  });

  function typing(target) {
    if (!target) {
      return false;
    }
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function click(id) {
    var element = document.getElementById(id);
    if (element) {
      element.click();
      return true;
    }
    return false;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) {
      return;
    }
    var app = document.getElementById("pm-app");
    if (!app || !app.classList.contains("pm-presentatie")) {
      return;
    }
    var handled = false;
    if (event.key === "ArrowRight" || event.key === "PageDown") {
      handled = click("dia-volgende");
    } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
      handled = click("dia-vorige");
    } else if (event.key === "Escape") {
      handled = click("presentatie-uit");
    }
    if (handled) {
      event.preventDefault();
    }
  });
})();
