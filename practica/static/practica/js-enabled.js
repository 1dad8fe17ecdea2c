// Loaded synchronously as the first thing in <body> (a classic script, because
// the Content-Security-Policy forbids the inline script GOV.UK's template uses).
// Marks the page as JavaScript-enabled before it is painted, so GOV.UK Frontend
// and MOJ Frontend components do not flash their no-JS state.
(function () {
  "use strict";
  var body = document.body;
  body.classList.add("js-enabled");
  // Same test as GOV.UK Frontend's template: browsers that support ES modules
  // run the components' JavaScript.
  if ("noModule" in HTMLScriptElement.prototype) {
    body.classList.add("govuk-frontend-supported");
  }
})();
