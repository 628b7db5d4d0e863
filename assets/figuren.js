/* Proeftuinmonitor: the image buttons of the figure cards (ui.cards.image_buttons).
 * A button with data-pm-graph (the dcc.Graph's id), data-pm-format (png or svg) and
 * data-pm-name (the file name) downloads the chart as drawn. A file in assets/, not an inline
 * script, so the Content-Security-Policy needs no 'unsafe-inline'. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-pm-graph]");
    if (!button) {
      return;
    }
    var host = document.getElementById(button.getAttribute("data-pm-graph"));
    var graph = host && (host.classList.contains("js-plotly-plot") ? host : host.querySelector(".js-plotly-plot"));
    if (!graph || !window.Plotly || typeof window.Plotly.downloadImage !== "function") {
      return;
    }
    var format = button.getAttribute("data-pm-format");
    window.Plotly.downloadImage(graph, {
      format: format,
      filename: button.getAttribute("data-pm-name"),
      width: graph.offsetWidth,
      height: graph.offsetHeight,
      scale: format === "png" ? 2 : 1,
    });
  });
})();
