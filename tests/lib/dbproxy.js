// A MySQL-protocol proxy on a unix socket in front of a stack's MariaDB,
// for fault tests: the stack's programs connect through it
// (HELPDESK_DB_SOCKET). It passes every byte on, notes which statement id
// each connection prepared from which SQL, and, when armed, breaks the
// connection that executes a chosen statement:
//   forward: false  the execute never reaches the server (lost for sure);
//   forward: true   the server runs it, and its answer is dropped (the
//                   client cannot know whether it ran).
// Only what the client library sends is parsed: packet framing (3-byte
// length, sequence number) and, at sequence 0, the command byte.
'use strict';
const fs = require('node:fs');
const net = require('node:net');

const COM_STMT_PREPARE = 0x16;
const COM_STMT_EXECUTE = 0x17;

// Splits complete packets off buf; returns [packets, rest].
function packets(buf) {
  const out = [];
  while (buf.length >= 4) {
    const len = buf.readUIntLE(0, 3);
    if (buf.length < 4 + len) break;
    out.push(buf.subarray(0, 4 + len));
    buf = buf.subarray(4 + len);
  }
  return [out, buf];
}

class DbProxy {
  constructor(listenPath, serverPath) {
    this.listenPath = listenPath;
    this.serverPath = serverPath;
    this.armed = null;
    this.conns = new Set();
  }

  start() {
    try { fs.unlinkSync(this.listenPath); } catch { /* none */ }
    this.server = net.createServer((c) => this.accept(c));
    return new Promise((resolve) => this.server.listen(this.listenPath, resolve));
  }

  // Breaks the next connection that executes a statement whose SQL
  // satisfies match(sql). Resolves with that SQL when it has happened.
  // times: that many executions in a row (a read outside a transaction
  // is sent again once on a new connection, so breaking it takes 2).
  arm(match, { forward = false, times = 1 } = {}) {
    return new Promise((resolve) => { this.armed = { match, forward, times, resolve }; });
  }

  disarm() { this.armed = null; }

  accept(client) {
    const server = net.connect(this.serverPath);
    const conn = { client, server, stmts: new Map(), preparing: null, dropOnAnswer: null };
    let fromClient = Buffer.alloc(0);
    let fromServer = Buffer.alloc(0);
    let open = true;
    this.conns.add(conn);
    const close = () => {
      if (!open) return;
      open = false;
      client.destroy();
      server.destroy();
      this.conns.delete(conn);
    };
    client.on('error', close).on('close', close);
    server.on('error', close).on('close', close);

    client.on('data', (chunk) => {
      let list;
      [list, fromClient] = packets(Buffer.concat([fromClient, chunk]));
      for (const p of list) {
        if (!open) return;
        if (p[3] === 0 && p.length > 4) {
          const cmd = p[4];
          if (cmd === COM_STMT_PREPARE) conn.preparing = p.subarray(5).toString('utf8');
          if (cmd === COM_STMT_EXECUTE && this.armed) {
            const sql = conn.stmts.get(p.readUInt32LE(5));
            const a = this.armed;
            if (sql !== undefined && a.match(sql)) {
              a.times -= 1;
              if (a.times <= 0) this.armed = null;
              const done = () => { if (a.times <= 0) a.resolve(sql); };
              if (!a.forward) {
                close();
                done();
                return;
              }
              conn.dropOnAnswer = () => { close(); done(); };
            }
          }
        }
        server.write(p);
      }
    });

    server.on('data', (chunk) => {
      if (conn.dropOnAnswer) {
        // The statement ran; its answer never arrives.
        conn.dropOnAnswer();
        return;
      }
      let list;
      [list, fromServer] = packets(Buffer.concat([fromServer, chunk]));
      for (const p of list) {
        // The first packet of the answer to a prepare: OK, statement id.
        if (conn.preparing !== null && p[3] === 1) {
          if (p[4] === 0x00) conn.stmts.set(p.readUInt32LE(5), conn.preparing);
          conn.preparing = null;
        }
      }
      client.write(chunk);
    });
  }

  close() {
    for (const c of this.conns) { c.client.destroy(); c.server.destroy(); }
    return new Promise((resolve) => this.server.close(resolve));
  }
}

module.exports = { DbProxy };
