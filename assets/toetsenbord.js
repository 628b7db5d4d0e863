/* Proeftuinmonitor: keyboard use of the filter bars. A file in assets/ (no inline script).
 *
 * - Focus after a filter change: the change puts a new URL in place and Dash rebuilds the page,
 *   filter bar included, so the control the user just changed disappears and focus falls to
 *   <body>. While the focus is in a filter bar we remember the control by the id of its nearest
 *   element with an id and its position among that element's focusable descendants; when that
 *   control has been replaced and nothing else has the focus, the same control in the new page
 *   gets it back.
 * - Dash 4's dropdown puts its tab stop on an invisible input marked aria-hidden that passes
 *   the focus on to the real button (axe: aria-hidden-focus). The button becomes the tab stop
 *   and the input leaves the tab order; the button is named by its visible label. */
(function () {
  "use strict";

  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])";
  var last = null;

  function focusables(host) {
    return Array.prototype.filter.call(host.querySelectorAll(FOCUSABLE), function (el) {
      return !el.disabled && el.getClientRects().length > 0;
    });
  }

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (!target.closest || !target.closest(".pm-filters")) {
      last = null;
      return;
    }
    var host = target.id ? target : target.parentElement.closest("[id]");
    if (!host) {
      last = null;
      return;
    }
    last = { id: host.id, index: host === target ? -1 : focusables(host).indexOf(target), element: target };
  });

  function restore() {
    if (!last || document.contains(last.element)) {
      return;
    }
    var active = document.activeElement;
    if (active && active !== document.body && active !== document.documentElement) {
      last = null;
      return;
    }
    var host = document.getElementById(last.id);
    if (!host) {
      return;
    }
    var target = last.index < 0 ? host : focusables(host)[last.index];
    if (target) {
      target.focus({ preventScroll: true });
    }
  }

  function fixDropdown(wrapper) {
    var input = wrapper.querySelector(":scope > .dash-dropdown-focus-target");
    var button = wrapper.querySelector(":scope > button.dash-dropdown");
    if (!input || !button) {
      return;
    }
    if (input.getAttribute("tabindex") !== "-1") {
      input.setAttribute("tabindex", "-1");
    }
    if (!button.disabled && button.getAttribute("tabindex") !== "0") {
      button.setAttribute("tabindex", "0");
    }
    // Name: the filter's visible label (a <label for> the button); the chosen value is the
    // description. Dash names the button by count and value instead, which neither says what
    // the control is nor reads as the words on it (axe: label-content-name-mismatch).
    var filter = wrapper.closest(".pm-filter");
    var label = filter && filter.querySelector("label.pm-filter-label");
    var parts = (button.getAttribute("aria-labelledby") || "").split(" ");
    if (!label || parts.length !== 2) {
      return;
    }
    label.htmlFor = button.id;
    button.setAttribute("aria-describedby", parts[1] + " " + parts[0]);
    button.removeAttribute("aria-labelledby");
  }

  function fixDropdowns() {
    document.querySelectorAll(".dash-dropdown-wrapper").forEach(fixDropdown);
  }

  new MutationObserver(function () {
    fixDropdowns();
    restore();
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true,
                                         attributeFilter: ["tabindex", "aria-labelledby"] });
})();
