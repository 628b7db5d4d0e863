/* Proeftuinmonitor: AG Grid's script (1.3 MB) is loaded when a grid is about to be drawn, not
 * on every page (dashboard/pagescripts.py). Only the Aanleveringen page has a grid.
 *
 * Until then window.dash_ag_grid holds a stand-in AgGrid. dash-renderer asks it whether it is
 * ready before it runs a callback on a grid (the `_dashprivate_isLazyComponentReady` contract of
 * @plotly/dash-component-plugins, which dcc's own lazy components keep): that starts the load,
 * and the callback waits for it. Once loaded, the stand-in draws the real grid with the same
 * props and stays the component Dash knows, so the grid is never mounted twice; getApi and the
 * rest are AG Grid's own. */
(function () {
  "use strict";

  var source = document.getElementById("pm-ag-grid");
  if (!source || window.dash_ag_grid || !window.React) {
    return;
  }
  var React = window.React;
  var address = JSON.parse(source.textContent);
  var real = null;
  var loading = null;
  var loaded;
  var ready = new Promise(function (resolve) {
    loaded = resolve;
  });

  function load() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = address; // AG Grid finds its own lazy chunks next to this address
        script.onload = function () {
          real = window.dash_ag_grid;
          window.dash_ag_grid = Object.assign({}, real, {AgGrid: AgGrid});
          loaded(true);
          resolve(real);
        };
        script.onerror = function (error) {
          loading = null; // the next grid tries again
          reject(error);
        };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function AgGrid(props) {
    var setLoaded = React.useState(Boolean(real))[1];
    React.useEffect(function () {
      if (real) {
        return undefined;
      }
      var mounted = true;
      load().then(function () {
        if (mounted) {
          setLoaded(true);
        }
      }, function () { /* dash-renderer shows the failed load in its own way */ });
      return function () {
        mounted = false;
      };
    }, []);
    if (real) {
      return React.createElement(real.AgGrid, props);
    }
    return React.createElement("div", {id: props.id, className: props.className, style: props.style,
                                       "aria-busy": "true"});
  }

  Object.defineProperty(AgGrid, "_dashprivate_isLazyComponentReady", {
    get: function () {
      if (real) {
        return true;
      }
      load();
      return ready;
    },
  });

  window.dash_ag_grid = {
    AgGrid: AgGrid,
    getApi: function (id) {
      if (!real) {
        throw new Error("AG Grid is nog niet geladen");
      }
      return real.getApi(id);
    },
    getApiAsync: function (id) {
      return load().then(function () {
        return real.getApiAsync(id);
      });
    },
  };
})();
