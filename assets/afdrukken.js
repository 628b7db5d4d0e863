/* Proeftuinmonitor: charts that fit the printed page (assets/print.css sets A4 landscape).
 * plotly draws a chart at the size it had on screen; printed, a wide screen's chart would be
 * cut at the page's edge and a tall one split over two pages. When the print layout starts
 * (the print media query matches, as it does for the browser's print and for a PDF printed
 * headless) every chart is redrawn, synchronously, at its card's printed width and at most the
 * height that leaves its card whole on one page; afterwards the screen sizes come back. */
(function () {
  "use strict";

  var PAGE_HEIGHT_MM = 190; // A4 landscape (210 mm) less 10 mm margins top and bottom
  var PX_PER_MM = 96 / 25.4;
  var SPARE_PX = 24; // the card's margin below it, and rounding: a card that fills the page exactly pushes a blank one
  var saved = [];

  function charts() {
    return Array.prototype.slice.call(document.querySelectorAll(".js-plotly-plot"));
  }

  function fit() {
    if (!window.Plotly || typeof window.Plotly.relayout !== "function" || saved.length) {
      return;
    }
    var page = PAGE_HEIGHT_MM * PX_PER_MM;
    charts().forEach(function (gd) {
      if (!gd._fullLayout) {
        return;
      }
      // What must stay together on one page: a slide of the report, else the figure card.
      var card = gd.closest(".pm-rapport-dia") || gd.closest(".pm-card") || gd.parentElement;
      var around = card.getBoundingClientRect().height - gd.getBoundingClientRect().height;
      var width = Math.floor((gd.closest(".pm-graph") || gd.parentElement).getBoundingClientRect().width);
      var height = Math.min(gd._fullLayout.height, Math.floor(page - around - SPARE_PX));
      saved.push([gd, gd.layout.width, gd.layout.height]);
      window.Plotly.relayout(gd, {width: width, height: Math.max(height, 120)});
    });
  }

  function restore() {
    var back = saved;
    saved = [];
    back.forEach(function (entry) {
      window.Plotly.relayout(entry[0], {width: entry[1] === undefined ? null : entry[1],
        height: entry[2] === undefined ? null : entry[2]});
    });
  }

  var printing = window.matchMedia("print");
  printing.addEventListener("change", function (event) {
    if (event.matches) {
      fit();
    } else {
      restore();
    }
  });
})();
