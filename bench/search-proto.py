#!/usr/bin/env python3
# Prototype for issue 14 (bench/notes.md, "Search index of our own"): prints
# one row per distinct word of 3..84 characters per document (a ticket's
# subject + body, or one comment) as TSV for LOAD DATA into search_docwords.
# Usage: bench/search-proto.py SOCKET OUT.tsv. Not the rebuild tool.
import sys, re, subprocess
from collections import defaultdict
sock = sys.argv[1]
WORD = re.compile(rb'[A-Za-z0-9\x80-\xff]+')
def q(sql):
    p = subprocess.Popen(['mariadb','-S',sock,'-B','-N','--raw','helpdesk','-e',sql], stdout=subprocess.PIPE)
    for line in p.stdout:
        yield line.rstrip(b'\n').split(b'\t')
docs = []; ws = {}
def words(text):
    out = set()
    for w in WORD.findall(text):
        s = w.decode('utf-8','replace')
        if 3 <= len(s) <= 84:
            out.add(s.lower())
    return out
clean = "REPLACE(REPLACE(REPLACE({0}, '\\n', ' '), '\\t', ' '), '\\r', ' ')"

for tid, w, subj, body in q("SELECT id, workspace_id, %s, %s FROM tickets" % (clean.format('subject'), clean.format('body'))):
    t = int(tid); ws[t] = w.decode()
    docs.append((t, 0, 0, words(subj) | words(body)))
for cid, tid, internal, body in q("SELECT id, ticket_id, internal, %s FROM comments" % clean.format('body')):
    docs.append((int(tid), int(cid), int(internal), words(body)))
out = open(sys.argv[2], 'w', encoding='utf-8')
n = 0
for t, d, internal, ws_ in docs:
    for w in ws_:
        out.write('%s\t%s\t%d\t%d\t%d\n' % (ws[t], w, t, d, internal)); n += 1
print(n, 'rows', file=sys.stderr)
