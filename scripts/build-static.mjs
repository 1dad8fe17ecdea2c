// Builds Practica's front-end assets into practica/static/build/ (generated,
// git-ignored). Run with `npm run build` after `npm ci`.
//
//   practica/assets/scss/practica.scss  -> build/practica.css (compressed)
//   govuk-frontend                       -> build/govuk-frontend.min.js (+ map)
//                                           build/govuk/assets/ (images, manifest; no fonts)
//   @ministryofjustice/frontend          -> build/moj-frontend.min.js (+ map)
//                                           build/govuk/assets/images/ (MOJ images, same folder)
//   htmx.org                             -> build/htmx.min.js (+ map)
//   chart.js                             -> build/chart.umd.min.js (+ map)
//   accessible-autocomplete              -> build/accessible-autocomplete.min.js/.css (+ maps)
//
// Source maps are copied next to the files that reference them: Django's
// ManifestStaticFilesStorage (and WhiteNoise's variant) fails collectstatic when
// a sourceMappingURL or a CSS url() points at a missing file.

import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nodeModules = path.join(root, "node_modules");
const outDir = path.join(root, "practica", "static", "build");
const scssEntry = path.join(root, "practica", "assets", "scss", "practica.scss");

const govukDist = path.join(nodeModules, "govuk-frontend", "dist", "govuk");
const mojDist = path.join(nodeModules, "@ministryofjustice", "frontend", "moj");

function fail(message) {
  console.error(`build-static: ${message}`);
  process.exit(1);
}

function copyFile(from, to, { optional = false } = {}) {
  if (!existsSync(from)) {
    if (optional) return;
    fail(`missing ${path.relative(root, from)} (did you run "npm ci"?)`);
  }
  mkdirSync(path.dirname(to), { recursive: true });
  cpSync(from, to);
  console.log(`  ${path.relative(root, to)}`);
}

/** Copy a file and, when it exists, its .map beside it. */
function copyWithMap(from, to) {
  copyFile(from, to);
  copyFile(`${from}.map`, `${to}.map`, { optional: true });
}

/** Copy a folder's contents recursively, leaving out entries named in `skip`. */
function copyDir(from, to, { skip = [], quiet = false } = {}) {
  if (!existsSync(from)) fail(`missing ${path.relative(root, from)} (did you run "npm ci"?)`);
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (skip.includes(name)) continue;
    const src = path.join(from, name);
    const dest = path.join(to, name);
    if (statSync(src).isDirectory()) {
      copyDir(src, dest, { skip, quiet: true });
    } else {
      cpSync(src, dest);
    }
  }
  if (!quiet) console.log(`  ${path.relative(root, to)}/`);
}

if (!existsSync(nodeModules)) fail('node_modules is missing: run "npm ci" first');

// Start from a clean folder so the build is re-runnable and never ships stale files.
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

// ---------------------------------------------------------------------------
// CSS
// ---------------------------------------------------------------------------
console.log("Compiling practica/assets/scss/practica.scss");

// Warnings raised inside node_modules (GOV.UK Frontend deprecation notices that
// MOJ Frontend triggers) are summarised rather than printed in full; the
// libraries themselves are never edited. Warnings from Practica's own SCSS are
// printed as usual.
const dependencyWarnings = new Map();
const logger = {
  warn(message, { deprecation, span, stack }) {
    const where = span?.url ? fileURLToPath(span.url) : "";
    const fromDependency =
      where.includes(`${path.sep}node_modules${path.sep}`) || (stack ?? "").startsWith("node_modules/");
    if (fromDependency) {
      const key = message.split("\n")[0];
      dependencyWarnings.set(key, (dependencyWarnings.get(key) ?? 0) + 1);
      return;
    }
    const label = deprecation ? "Deprecation warning" : "Warning";
    console.warn(`${label}: ${message}${span ? `\n  at ${path.relative(root, where)}:${span.start.line + 1}` : ""}`);
  },
  debug(message) {
    console.log(`Debug: ${message}`);
  },
};

let result;
try {
  result = sass.compile(scssEntry, {
    style: "compressed",
    // MOJ Frontend loads "node_modules/govuk-frontend/..." relative to the project root.
    loadPaths: [root],
    quietDeps: true,
    sourceMap: false,
    logger,
  });
} catch (error) {
  fail(`Sass failed:\n${error.message}`);
}

for (const [message, count] of dependencyWarnings) {
  console.warn(`  (dependency warning x${count}) ${message}`);
}

if (result.css.includes("GDS Transport")) {
  fail('compiled CSS mentions "GDS Transport": Practica must use the system font stack');
}
writeFileSync(path.join(outDir, "practica.css"), result.css);
console.log(`  ${path.relative(root, path.join(outDir, "practica.css"))} (${result.css.length} bytes)`);

// ---------------------------------------------------------------------------
// JavaScript and assets
// ---------------------------------------------------------------------------
console.log("Copying vendor files");

// GOV.UK Frontend: ES module bundle, images and manifest (fonts are not used).
copyWithMap(path.join(govukDist, "govuk-frontend.min.js"), path.join(outDir, "govuk-frontend.min.js"));
copyDir(path.join(govukDist, "assets"), path.join(outDir, "govuk", "assets"), { skip: ["fonts"] });

// MOJ Frontend: ES module bundle (self-contained), images into the shared images folder
// that $moj-images-path / $govuk-images-path point at.
copyWithMap(path.join(mojDist, "moj-frontend.min.js"), path.join(outDir, "moj-frontend.min.js"));
copyDir(path.join(mojDist, "assets", "images"), path.join(outDir, "govuk", "assets", "images"));

// htmx 4 (classic script, window.htmx).
copyWithMap(path.join(nodeModules, "htmx.org", "dist", "htmx.min.js"), path.join(outDir, "htmx.min.js"));

// Chart.js UMD build (classic script, window.Chart).
copyWithMap(
  path.join(nodeModules, "chart.js", "dist", "chart.umd.min.js"),
  path.join(outDir, "chart.umd.min.js"),
);

// accessible-autocomplete (classic script, window.accessibleAutocomplete) and its CSS.
const autocompleteDist = path.join(nodeModules, "accessible-autocomplete", "dist");
copyWithMap(
  path.join(autocompleteDist, "accessible-autocomplete.min.js"),
  path.join(outDir, "accessible-autocomplete.min.js"),
);
copyWithMap(
  path.join(autocompleteDist, "accessible-autocomplete.min.css"),
  path.join(outDir, "accessible-autocomplete.min.css"),
);

console.log("Done.");
