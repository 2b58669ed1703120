// Reads gettext .po/.pot files (po/): entries with msgid, msgid_plural,
// msgstr (an array: one form, or one per plural), flags and whether the
// entry is obsolete (#~). Enough of the format for our own catalogues.
'use strict';
const fs = require('node:fs');

function unquote(s) {
  return JSON.parse(s.replace(/\\t/g, '\\t'));
}

function parse(text) {
  const entries = [];
  let e = null;
  let field = null;
  const start = () => {
    if (e === null) e = { msgid: null, plural: null, msgstr: [], flags: [], obsolete: false };
  };
  const end = () => {
    if (e !== null && e.msgid !== null) entries.push(e);
    e = null;
    field = null;
  };
  for (let line of text.split('\n')) {
    if (line.trim() === '') { end(); continue; }
    let obsolete = false;
    if (line.startsWith('#~')) { obsolete = true; line = line.replace(/^#~\s?/, ''); }
    if (line.startsWith('#,')) {
      start();
      e.flags.push(...line.slice(2).split(',').map((f) => f.trim()));
      continue;
    }
    if (line.startsWith('#')) { start(); continue; }
    start();
    if (obsolete) e.obsolete = true;
    let m;
    if ((m = line.match(/^msgid (".*")$/))) { e.msgid = unquote(m[1]); field = ['msgid']; }
    else if ((m = line.match(/^msgid_plural (".*")$/))) { e.plural = unquote(m[1]); field = ['plural']; }
    else if ((m = line.match(/^msgstr (".*")$/))) { e.msgstr[0] = unquote(m[1]); field = ['msgstr', 0]; }
    else if ((m = line.match(/^msgstr\[(\d+)\] (".*")$/))) {
      e.msgstr[Number(m[1])] = unquote(m[2]);
      field = ['msgstr', Number(m[1])];
    } else if ((m = line.match(/^(".*")$/)) && field) {
      if (field[0] === 'msgstr') e.msgstr[field[1]] += unquote(m[1]);
      else e[field[0]] += unquote(m[1]);
    }
  }
  end();
  return entries;
}

function read(file) {
  return parse(fs.readFileSync(file, 'utf8'));
}

// {{..}}, <..> and %-conversions, sorted: what a translation must keep
// (lib/base/i18n.c, i18n_same_tags).
function tags(s) {
  const re = /\{\{[\s\S]*?\}\}|<[a-zA-Z/][^>]*>|%[-+#0-9.]*[hlLqjzt]*[diouxXeEfFgGaAcspn%]/g;
  return (s.match(re) || []).sort();
}

// msgid -> its German (or other) text, for translated, current entries.
function translations(file) {
  const map = new Map();
  for (const e of read(file)) {
    if (e.msgid === '' || e.obsolete || e.flags.includes('fuzzy')) continue;
    if (e.msgstr.every((s) => s)) map.set(e.msgid, e.msgstr[0]);
  }
  return map;
}

module.exports = { parse, read, tags, translations };
