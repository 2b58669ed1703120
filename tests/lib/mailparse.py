"""Parses one message file with Python's email package (the standard
library's, a real MIME parser) and prints what tests/mail checks, as JSON:
decoded headers, the parts with their decoded text, the parser's defects
and the longest raw line."""
import email
import email.policy
import json
import sys

raw = open(sys.argv[1], 'rb').read()
msg = email.message_from_bytes(raw, policy=email.policy.default)
lines = raw.split(b'\r\n')
out = {
    'headers': {k: str(v).strip() for k, v in msg.items()},
    'raw_headers': {k: v for k, v in msg.raw_items()},
    'content_type': msg.get_content_type(),
    'defects': [str(d) for d in msg.defects],
    'longest_line': max(len(l) for l in lines),
    'bare_lf': b'\n' in b''.join(lines),
    'parts': [],
}
for part in msg.walk():
    if part.is_multipart():
        continue
    out['defects'] += [str(d) for d in part.defects]
    out['parts'].append({
        'type': part.get_content_type(),
        'charset': part.get_content_charset(),
        'cte': part.get('Content-Transfer-Encoding'),
        'text': part.get_content(),
    })
print(json.dumps(out))
