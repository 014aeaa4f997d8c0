// The Node.js peer of `tickwire bench` (docs/benchmarks.md): the broadcast server people write
// with the `ws` package. Subscribers connect to /sub?symbols=A,B; the publisher connects to /pub
// and sends JSON frames with a "symbol" field; each frame is sent as is to every subscriber of its
// symbol, the way the ws README's broadcast example does it (one send per client; ws frames the
// message for each send). Settings: perMessageDeflate off (Tickwire has no compression either), loopback only.
'use strict';
const http = require('http');
const { WebSocketServer } = require('ws');

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 8090);
const subscribers = new Map(); // symbol -> Set of sockets

const server = http.createServer((req, res) => { res.writeHead(404); res.end(); });
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 1 << 20 });

const SYMBOL = /"symbol":"([^"]+)"/;

wss.on('connection', (ws, req) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/pub') {
    ws.on('message', (data, isBinary) => {
      const text = data.toString();
      const m = SYMBOL.exec(text);
      if (!m) return;
      const set = subscribers.get(m[1]);
      if (!set) return;
      for (const sub of set) {
        sub.send(text, { binary: false });
      }
    });
    return;
  }
  if (url.pathname === '/sub') {
    const symbols = (url.searchParams.get('symbols') || '').split(',').filter(Boolean);
    for (const s of symbols) {
      if (!subscribers.has(s)) subscribers.set(s, new Set());
      subscribers.get(s).add(ws);
    }
    ws.on('close', () => { for (const s of symbols) subscribers.get(s).delete(ws); });
    return;
  }
  ws.close(1008, 'unknown path');
});

server.listen(port, host, () => console.log(`node-ws peer listening on ws://${host}:${port} (pid ${process.pid})`));
