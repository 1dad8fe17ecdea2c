// Practica's front-end entry point, loaded as <script type="module">.
// The Content-Security-Policy forbids inline scripts, so everything that GOV.UK's
// page template would do inline happens here (and in js-enabled.js).
//
// Relative imports resolve against this file's URL (/static/practica/), so
// they load /static/build/... whatever STATIC_URL's host is.
import { initAll as initGovukFrontend } from "../build/govuk-frontend.min.js";
import { FilterToggleButton, initAll as initMojFrontend } from "../build/moj-frontend.min.js";

initGovukFrontend();
initMojFrontend();

// The filter panel of a filtered list (MOJ "filter a list"): beside the list on wide screens,
// where "Hide filter" gives the list the whole width; on narrow screens closed until "Show
// filter" opens it in the page's flow, above the list, never over it (see practica.scss).
for (const filter of document.querySelectorAll(".moj-filter[data-practica-filter]")) {
  new FilterToggleButton(filter, { startHidden: false });
}

// Wide tables scroll sideways on their own, not the whole page (WCAG 1.4.10 reflow): each
// GOV.UK table goes in a wrapper that scrolls; while it does, the wrapper is a region named
// after the table's caption that the keyboard can reach (axe: scrollable-region-focusable).
function wrapTables(scope) {
  for (const table of scope.querySelectorAll("table.govuk-table")) {
    if (table.parentElement?.classList.contains("practica-table-scroll")) {
      continue;
    }
    const wrapper = document.createElement("div");
    wrapper.className = "practica-table-scroll";
    table.before(wrapper);
    wrapper.append(table);
  }
  markScrollingTables();
}

function markScrollingTables() {
  for (const wrapper of document.querySelectorAll(".practica-table-scroll")) {
    if (wrapper.scrollWidth > wrapper.clientWidth) {
      const caption = wrapper.querySelector("caption")?.textContent.trim() || "Table";
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", `${caption} (scrolls sideways)`);
      wrapper.tabIndex = 0;
    } else {
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
      wrapper.removeAttribute("tabindex");
    }
  }
}

wrapTables(document);
window.addEventListener("resize", markScrollingTables);

// Content swapped in by htmx (e.g. a status page that refreshes) may contain
// components too. htmx 4 fires htmx:after:process on each new element once it
// is in the page; initialise components inside it. Elements that are already
// initialised raise GOV.UK Frontend's InitError, which is expected here.
function ignoreAlreadyInitialised(error) {
  if (error && error.name !== "InitError") {
    console.error(error);
  }
}

document.addEventListener("htmx:after:process", (event) => {
  const element = event.target;
  if (!(element instanceof Element) || element === document.body) {
    return; // the first pass over the whole page was done above
  }
  // Use the parent as scope: querySelectorAll does not match the scope itself,
  // and the swapped element may carry a data-module of its own.
  const scope = element.parentElement ?? element;
  initGovukFrontend({ scope, onError: ignoreAlreadyInitialised });
  initMojFrontend({ scope, onError: ignoreAlreadyInitialised });
  wrapTables(scope);
});
