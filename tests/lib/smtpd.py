"""A real SMTP server on loopback for tests/mail (Debian's aiosmtpd).

Each message received is written whole, as its bytes came, to DIR/N.eml,
with DIR/N.json beside it: envelope sender and recipients, whether the
session was under TLS, and who authenticated. Prints "ready PORT" when it
accepts connections; stops on SIGTERM.

  smtpd.py --dir DIR [--port N] [--tls CERT KEY] [--auth USER:PASS]
           [--delay SECONDS] [--refuse N]

--tls offers STARTTLS and refuses mail without it; --auth requires that
login; --delay waits before answering each message (so a test can kill a
client mid-batch); --refuse answers the first N messages 451 (try later).
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Handler:
    def __init__(self, args):
        self.args = args
        self.count = 0
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.args.refuse:
            self.refused += 1
            return '451 4.3.0 try again later'
        if self.args.delay:
            await asyncio.sleep(self.args.delay)
        self.count += 1
        base = os.path.join(self.args.dir, '%06d-%d' % (self.count, os.getpid()))
        with open(base + '.tmp', 'wb') as f:
            f.write(envelope.original_content)
        meta = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'tls': session.ssl is not None,
            'auth': session.auth_data,
        }
        with open(base + '.json', 'w') as f:
            json.dump(meta, f)
        os.rename(base + '.tmp', base + '.eml')
        return '250 2.0.0 OK'


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--dir', required=True)
    p.add_argument('--port', type=int, default=0)
    p.add_argument('--tls', nargs=2)
    p.add_argument('--auth')
    p.add_argument('--delay', type=float, default=0)
    p.add_argument('--refuse', type=int, default=0)
    args = p.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    kw = {}
    if args.tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        kw.update(tls_context=ctx, require_starttls=True)
    if args.auth:
        user, password = args.auth.split(':', 1)

        def check(server, session, envelope, mechanism, data):
            ok = data.login.decode() == user and data.password.decode() == password
            return AuthResult(success=ok, auth_data=user if ok else None)
        kw.update(authenticator=check, auth_required=True,
                  auth_require_tls=bool(args.tls))
    port = args.port
    if port == 0:
        import socket
        s = socket.socket()
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
        s.close()
    c = Controller(Handler(args), hostname='127.0.0.1', port=port,
                   ready_timeout=10, **kw)
    c.start()
    print('ready %d' % port, flush=True)
    done = []
    signal.signal(signal.SIGTERM, lambda *_: done.append(1))
    signal.signal(signal.SIGINT, lambda *_: done.append(1))
    while not done:
        signal.pause()
    c.stop()


if __name__ == '__main__':
    main()
