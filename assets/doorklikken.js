/* Proeftuinmonitor: clicking through from a chart (dashboard/ui/links.py).
 * A trace's meta.pm_links holds where its points lead: {trace: href} for the whole trace,
 * {points: [href, ...]} per point, or {x: {category: href}} / {y: {...}} per axis category.
 * A click navigates like dcc.Link (history.pushState), so the back button returns; a link
 * starting with '?' is the same page with another query. The pointer shows over a point that
 * leads somewhere. A file in assets/, not an inline script, so the Content-Security-Policy
 * needs no 'unsafe-inline'. */
(function () {
  "use strict";

  function target(point) {
    var links = point && point.data && point.data.meta && point.data.meta.pm_links;
    if (!links) {
      return null;
    }
    if (links.trace) {
      return links.trace;
    }
    if (links.points) {
      var index = Array.isArray(point.pointNumber) ? null : point.pointNumber;
      return index === null || index === undefined ? null : links.points[index] || null;
    }
    if (links.y && Object.prototype.hasOwnProperty.call(links.y, point.y)) {
      return links.y[point.y];
    }
    if (links.x && Object.prototype.hasOwnProperty.call(links.x, point.x)) {
      return links.x[point.x];
    }
    return null;
  }

  function navigate(href) {
    if (href.charAt(0) === "?") {
      href = window.location.pathname + href;
    }
    if (href.charAt(0) !== "/" || href.charAt(1) === "/") {
      return; // only places inside this dashboard
    }
    window.history.pushState({}, "", href);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  }

  function dragLayer(data) {
    // Listeners run with the event emitter as `this`, not the graph: find it from the event.
    var node = data && data.event && data.event.target;
    var graph = node && node.closest && node.closest(".js-plotly-plot");
    return graph ? graph.querySelector(".nsewdrag") : null;
  }

  function onClick(data) {
    var href = data && data.points && data.points.length ? target(data.points[0]) : null;
    if (href) {
      navigate(href);
    }
  }

  function onHover(data) {
    var layer = dragLayer(data);
    if (layer && data.points && data.points.length && target(data.points[0])) {
      layer.style.cursor = "pointer";
    }
  }

  function onUnhover(data) {
    var layer = dragLayer(data);
    if (layer) {
      layer.style.cursor = "";
    }
  }

  // Graphs come and go with every page and filter change, and Plotly.purge drops listeners:
  // (re)bind on every DOM change. Removing first keeps exactly one listener per graph.
  function bind() {
    var graphs = document.querySelectorAll(".js-plotly-plot");
    for (var i = 0; i < graphs.length; i++) {
      var graph = graphs[i];
      if (typeof graph.on !== "function") {
        continue;
      }
      var handlers = { plotly_click: onClick, plotly_hover: onHover, plotly_unhover: onUnhover };
      for (var name in handlers) {
        graph.removeListener(name, handlers[name]);
        graph.on(name, handlers[name]);
      }
    }
  }

  var pending = false;
  new MutationObserver(function () {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        bind();
      });
    }
  }).observe(document.documentElement, { childList: true, subtree: true });

  // Links in a table view (Markdown) move within the app as dcc.Link does, not by reloading.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".pm-table-body a[href]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
      return;
    }
    event.preventDefault();
    navigate(link.getAttribute("href"));
  });
})();
