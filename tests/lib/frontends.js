// The integration suite through a front end other than nginx: the tests
// that check nginx itself (its own error pages, its limits, its logs) or
// the private stack's process model (workers found as children of
// tools/stack's supervisors) are skipped by name, each with its reason,
// here and nowhere else. Everything else must pass.
//
// Loaded before every test file with node's --require (tests/run):
//   HD_FRONTEND=apache-fcgid node --require ./tests/lib/frontends.js \
//       --test tests/integration/*.test.js
// It wraps require('node:test') so that a test named below is reported
// as skipped, with the reason. Without HD_FRONTEND (nginx) it does nothing.
'use strict';
const Module = require('node:module');

// What nginx does that Apache does not, or does its own way.
const NGINX_ONLY = [
  ["nginx's own 400 for too many large headers carries our headers and our page",
    'Apache limits each header field (LimitRequestFieldSize 8190), not their total '
    + '(nginx: large_client_header_buffers 4 8k): the request reaches the program'],
  ['reset and confirmation tokens never reach the logs',
    "reads nginx's access log and app.log; tests/apache/apache.test.js checks Apache's "
    + 'access log and error log (where the programs\' lines go) for the same tokens'],
  ['an invitation token reaches no log, however the link is visited',
    "reads nginx's access log and app.log; tests/apache/apache.test.js checks Apache's"],
  ['a failure mid-stream: the download fails and the archive has no end',
    "needs nginx's fastcgi_keep_conn on the export locations; under Apache the cut "
    + 'download may end as if complete (INSTALL section 8, docs/export.md)'],
  ['a slow reader: nginx spools nothing of an export to disk',
    "nginx's fastcgi_max_temp_file_size; mod_fcgid has no spool file"],
];

// mod_fcgid only: a program that ends before the first byte of a body
// whose length it sent gets an empty, complete-looking answer (under
// plain CGI, Apache keeps the length, ap_trust_cgilike_cl, and cuts it).
const FCGID_ONLY = [
  ['the same file in two workspaces is two blobs: an upload reads and writes only its own',
    'its last step reads a download that fails before its first byte as cut off; mod_fcgid '
    + 'then ends the response as if complete (empty), as for exports (INSTALL section 8)'],
];

// Tests that find the workers through tools/stack's pid files: under
// Apache, mod_fcgid (or the CGI request) starts them.
const STACK_WORKERS = [
  'every worker has confined itself: no new privileges, a seccomp filter',
  '60 MB of files: the export worker stays under 24 MB resident',
  'a 20 MB upload and download keep every worker under 16 MB resident',
  'sign-ins give argon2 memory back: auth workers stay under 10 MB resident',
  'text fields past max_form are refused (413) while parsed: no worker copies them',
].map((name) => [name, "finds the workers through tools/stack's pid files; under Apache "
  + 'mod_fcgid or the CGI request starts them (the sandbox under Apache: tests/apache)']);

// On shared hosting only .htaccess is ours: Apache refuses a malformed
// request before it reads any, so the host's error page and headers
// answer it (under mod_fcgid, apache/helpdesk-fcgid.conf gives ours).
const BEFORE_HTACCESS = [
  "nginx's own 400 for a NUL in the path carries our headers and our page",
  "nginx's own 400 for a NUL in a cookie carries our headers and our page",
  "nginx's own 400 for a cookie header over the buffer size carries our headers and our page",
  "nginx's own 414 for a 10 KB URL carries our headers and our page",
  "nginx's own 400 for a malformed request line carries our headers and our page",
].map((name) => [name, 'Apache refuses it before reading any .htaccess: the host\'s own '
  + 'error page and headers answer, which a shared-hosting user cannot change']);

const SKIP = {
  'apache-fcgid': [...NGINX_ONLY, ...FCGID_ONLY, ...STACK_WORKERS],
  'apache-cgi': [...NGINX_ONLY, ...STACK_WORKERS, ...BEFORE_HTACCESS],
};

const frontend = process.env.HD_FRONTEND;
const list = frontend && SKIP[frontend];
if (frontend && !list) throw new Error(`HD_FRONTEND=${frontend}: not one of ${Object.keys(SKIP)}`);

function why(name) {
  const hit = list.find(([n]) => n === name);
  return hit && `${frontend}: ${hit[1]}`;
}

// test(name[, options][, fn]) with { skip } added for a listed name.
function wrap(orig) {
  const f = function (name, ...rest) {
    const reason = typeof name === 'string' && why(name);
    if (!reason) return orig.call(this, name, ...rest);
    const fn = rest.find((x) => typeof x === 'function');
    const opts = rest.find((x) => x && typeof x === 'object') || {};
    return orig.call(this, name, { ...opts, skip: reason }, fn || (() => {}));
  };
  return f;
}

if (list) {
  const load = Module._load;
  let wrapped;
  Module._load = function (request, ...rest) {
    const m = load.call(this, request, ...rest);
    if (request !== 'node:test' && request !== 'test') return m;
    if (!wrapped) {
      wrapped = Object.assign(wrap(m), m);
      wrapped.test = wrapped;
      wrapped.it = wrap(m.it);
    }
    return wrapped;
  };
}

module.exports = { SKIP };
