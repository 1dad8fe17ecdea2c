// Practica's front-end entry point, loaded as <script type="module">.
// The Content-Security-Policy forbids inline scripts, so everything that GOV.UK's
// page template would do inline happens here (and in js-enabled.js).
//
// Relative imports resolve against this file's URL (/static/practica/), so
// they load /static/build/... whatever STATIC_URL's host is.
import { initAll as initGovukFrontend } from "../build/govuk-frontend.min.js";
import { initAll as initMojFrontend } from "../build/moj-frontend.min.js";

initGovukFrontend();
initMojFrontend();

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
});
