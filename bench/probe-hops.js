// Where a trade's time goes, seen by one extra subscriber (Node, next to a running `tickwire bench`):
// publish ("ts", the generator's intended publish time) -> server encode ("sent") -> receive here.
//   node bench/probe-hops.js SYMBOL SECONDS      (needs bench/peers/node-ws/install.sh for `ws`)
// Both clocks are the machine's wall clock at microseconds (the generator anchors its clock with
// Instant.now()); docs/benchmarks.md quotes its figures.
const WebSocket = require(require('path').join(__dirname, 'peers/node-ws/node_modules/ws'));
const { performance } = require('perf_hooks');
const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
const ws = new WebSocket('ws://127.0.0.1:8080/v1/ws', { headers: { Authorization: 'Bearer bench-token' } });
const sym = process.argv[2], seconds = +process.argv[3];
const hop = [], total = [];
ws.on('open', () => ws.send(JSON.stringify({ op: 'subscribe', id: 'p', symbols: sym, channels: 'trade' })));
ws.on('message', (d) => {
  const now = nowMicros();
  const m = JSON.parse(d);
  if (m.type === 'trade' && m.sent) { hop.push(now - m.sent); total.push(now - m.ts); }
});
setTimeout(() => {
  const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(p / 100 * (s.length - 1))]; };
  console.log(`n=${hop.length} sent->recv p50 ${pct(hop, 50)} p99 ${pct(hop, 99)} µs; ts->recv p50 ${pct(total, 50)} p99 ${pct(total, 99)} µs`);
  process.exit(0);
}, seconds * 1000);
