/* Proeftuinmonitor: plotly.js is fetched and started while the server draws the first page.
 *
 * dcc.Graph loads plotly.js only when the first graph mounts, which is after the page's callback
 * has been answered; a new browser then waits for 1.5 MB and its start-up before any chart.
 * dash-renderer calls `pmPlotlyVooraf` just before it sends a callback (the `request_pre` hook,
 * dashboard/app.py), so the script arrives and runs while the browser waits for the answer.
 *
 * dcc.Graph asks `Promise.resolve(window.Plotly || <load the script itself>)`: until the script
 * has run, window.Plotly is the promise of this one load, so the graph waits for it instead of
 * loading plotly.js a second time. plotly.js sets window.Plotly to itself when it runs.
 * Code that calls Plotly outside dcc.Graph checks that the function it calls is there
 * (assets/figuren.js, assets/afdrukken.js). */
(function () {
  "use strict";

  function address() {
    if (window._dashPlotlyJSURL) {
      return window._dashPlotlyJSURL;
    }
    var config = document.getElementById("_dash-config");
    var prefix = config ? JSON.parse(config.textContent).requests_pathname_prefix || "/" : "/";
    return prefix + "_dash-component-suites/plotly/package_data/plotly.min.js";
  }

  window.pmPlotlyVooraf = function () {
    if (window.Plotly) {
      return;
    }
    var script = document.createElement("script");
    script.src = address();
    script.async = true;
    window.Plotly = new Promise(function (resolve, reject) {
      script.onload = function () {
        resolve();
      };
      script.onerror = function (error) {
        window.Plotly = undefined; // a later graph tries again, the way dcc.Graph does
        reject(error);
      };
    });
    document.head.appendChild(script);
  };
})();
