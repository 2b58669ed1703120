// Templates through the real programs: a value placed in a URL arrives
// whole ({{url x}}), and a template with a typo stops start-up with its
// file and line instead of failing the first visitor of its page.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { Client, uniqueEmail } = require('../lib/client');
const { cgi } = require('../lib/cgi');

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = process.env.HD_BIN || path.join(ROOT, 'build', 'bin');

// A local target with ? & # of its own, and a space and a non-ASCII
// letter as a URL carries them (percent-escaped: a next= with a raw space
// or raw UTF-8 is refused as not local, see url_is_local). The escapes
// must arrive as escapes, neither decoded nor encoded twice.
const target = '/account?tab=a&q=caf%C3%A9%20au%20lait?x=1#top';

function unescapeHtml(s) {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// The href of the page's last link whose text is text (the layout's
// links come first), as a browser reads it.
function linkTo(body, text) {
  const all = [...body.matchAll(new RegExp(`<a href="([^"]*)">${text}</a>`, 'g'))];
  assert.ok(all.length > 0, `a link "${text}"`);
  return unescapeHtml(all[all.length - 1][1]);
}

function nextOf(href) {
  return new URL(href, 'http://helpdesk.test/').searchParams.get('next');
}

function hiddenNext(body) {
  const m = body.match(/<input type="hidden" name="next" value="([^"]*)">/);
  assert.ok(m, 'a hidden next field');
  return unescapeHtml(m[1]);
}

test('a next= with ? & # and escapes round-trips through the sign-in and sign-up links', async () => {
  const c = new Client();
  const signin = await c.get(`/signin?next=${encodeURIComponent(target)}`);
  assert.equal(signin.status, 200);
  assert.equal(hiddenNext(signin.body), target);
  const toSignup = linkTo(signin.body, 'Create an account');
  assert.equal(nextOf(toSignup), target, toSignup);

  const signup = await c.get(toSignup);
  assert.equal(signup.status, 200);
  assert.equal(hiddenNext(signup.body), target);
  const back = linkTo(signup.body, 'Sign in');
  assert.equal(nextOf(back), target, back);

  // Signing up from that page lands on the target, byte for byte.
  const email = uniqueEmail('next');
  const password = 'correct horse battery';
  const res = await c.post('/signup', { name: 'Round Trip', email, password, next: hiddenNext(signup.body) });
  assert.equal(res.status, 303);
  assert.equal(res.headers.location, target);

  // And so does signing in from the link back.
  const d = new Client();
  const again = await d.get(back);
  assert.equal(again.status, 200);
  const signedIn = await d.post('/signin', { email, password, next: hiddenNext(again.body) });
  assert.equal(signedIn.status, 303);
  assert.equal(signedIn.headers.location, target);
});

// A copy of html/ with one typo in a page no request below asks for.
function brokenTemplates() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-html-'));
  fs.cpSync(path.join(ROOT, 'html'), dir, { recursive: true });
  const file = path.join(dir, 'admin', 'audit.html');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes('{{/each}}'));
  assert.ok(at > 0);
  lines[at] = lines[at].replace('{{/each}}', '{{/eahc}}');
  fs.writeFileSync(file, lines.join('\n'));
  return { dir, file, line: at + 1 };
}

test('a typo in any template stops start-up, naming the file and line', () => {
  const { dir, file, line } = brokenTemplates();
  try {
    const want = `${file}:${line}: {{/eahc}} does not close {{#each}}`;
    // Plain CGI: nothing is answered, whichever page was asked for.
    const once = cgi('auth', { uri: '/signin', env: { HELPDESK_TEMPLATES: dir } });
    assert.equal(once.code, 1);
    assert.equal(once.body, '');
    assert.ok(once.stderr.toString().includes(want), once.stderr.toString());

    // With a socket: before listening or starting a worker.
    const sock = path.join(dir, 'auth.sock');
    const r = spawnSync(path.join(BIN, 'auth'), ['-s', sock, '-n', '1'], {
      env: {
        PATH: process.env.PATH,
        HELPDESK_CONFIG: path.join(process.env.HD_STACK_DIR, 'helpdesk.conf'),
        HELPDESK_TEMPLATES: dir,
      },
      timeout: 10000,
      encoding: 'utf8',
    });
    assert.equal(r.signal, null, 'exited by itself');
    assert.equal(r.status, 1);
    assert.ok(r.stderr.includes(want), r.stderr);
    assert.ok(!fs.existsSync(sock), 'never listened');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the same copy without the typo starts and serves', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-html-'));
  try {
    fs.cpSync(path.join(ROOT, 'html'), dir, { recursive: true });
    const res = cgi('auth', { uri: '/signin', env: { HELPDESK_TEMPLATES: dir } });
    assert.equal(res.code, 0, res.stderr.toString());
    assert.equal(res.status, 200);
    assert.match(res.body, /<h1>Sign in<\/h1>/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
