// The "no untranslated string" check (issue 13): the strings of the
// templates and of the C code, extracted again now exactly as `make po`
// does (tools/po-extract: build/bin/tmplpot, the loader's own splitter,
// and xgettext), must be the msgids of po/helpdesk.pot, and every one
// must have a German translation in po/de.po that is not fuzzy and keeps
// its {{tags}}, <tags> and %-conversions. After changing a string:
// `make po`, then translate what it marks (README, "Languages").
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const po = require('../lib/po.js');

const repo = path.join(__dirname, '..', '..');
const bin = path.resolve(repo, process.env.HD_BIN || 'build/bin');
const langs = fs.readdirSync(path.join(repo, 'po'))
  .filter((f) => f.endsWith('.po')).map((f) => f.slice(0, -3));

let fresh;
test.before(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hd-po-'));
  const out = path.join(dir, 'now.pot');
  execFileSync(path.join(repo, 'tools', 'po-extract'),
    [path.join(bin, 'tmplpot'), out], { stdio: 'pipe' });
  fresh = po.read(out).filter((e) => e.msgid !== '');
  fs.rmSync(dir, { recursive: true, force: true });
});

const list = (xs) => xs.slice(0, 20).map((s) => JSON.stringify(s)).join('\n  ');

test('po/helpdesk.pot holds every string of the sources, and no other (make po)', () => {
  const pot = new Set(po.read(path.join(repo, 'po', 'helpdesk.pot'))
    .filter((e) => e.msgid !== '').map((e) => e.msgid));
  const now = new Set(fresh.map((e) => e.msgid));
  const added = [...now].filter((m) => !pot.has(m));
  const gone = [...pot].filter((m) => !now.has(m));
  assert.ok(now.size > 500, `only ${now.size} strings extracted`);
  assert.deepStrictEqual(added, [], `new strings not in po/helpdesk.pot (run make po):\n  ${list(added)}`);
  assert.deepStrictEqual(gone, [], `po/helpdesk.pot has strings the sources no longer have (run make po):\n  ${list(gone)}`);
});

test('there is a second language, and it is German', () => {
  assert.ok(langs.includes('de'), `po/ has ${langs.join(', ')}`);
});

for (const lang of langs) {
  test(`po/${lang}.po translates every string, none fuzzy`, () => {
    const entries = po.read(path.join(repo, 'po', `${lang}.po`));
    const byId = new Map(entries.filter((e) => !e.obsolete).map((e) => [e.msgid, e]));
    const missing = [];
    const fuzzy = [];
    for (const f of fresh) {
      const e = byId.get(f.msgid);
      if (!e || e.msgstr.length === 0 || e.msgstr.some((s) => !s)) missing.push(f.msgid);
      else if (e.flags.includes('fuzzy')) fuzzy.push(f.msgid);
      else if (f.plural !== null && e.plural !== f.plural) missing.push(f.msgid);
    }
    assert.deepStrictEqual(missing, [], `untranslated in po/${lang}.po:\n  ${list(missing)}`);
    assert.deepStrictEqual(fuzzy, [], `fuzzy in po/${lang}.po:\n  ${list(fuzzy)}`);
  });

  test(`po/${lang}.po keeps every string's tags, values and conversions`, () => {
    const bad = [];
    for (const e of po.read(path.join(repo, 'po', `${lang}.po`))) {
      if (e.msgid === '' || e.obsolete) continue;
      const want = po.tags(e.msgid);
      for (const s of e.msgstr) {
        if (s && JSON.stringify(po.tags(s)) !== JSON.stringify(want)) bad.push(e.msgid);
      }
    }
    assert.deepStrictEqual(bad, [], `translations that change tags:\n  ${list(bad)}`);
  });

  test(`po/${lang}.po compiles (msgfmt --check)`, () => {
    execFileSync('msgfmt', ['--check', '-o', '/dev/null', path.join(repo, 'po', `${lang}.po`)],
      { stdio: 'pipe' });
  });
}
