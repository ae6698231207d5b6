// Loaded before the Portkey gateway (node --import ./preload.mjs
// node_modules/@portkey-ai/gateway/build/start-server.js --port=0
// --headless) by cmd/parity/portkey_test.go. The gateway takes a port but
// no host and listens on every interface; this makes it listen on
// loopback only, reports the address it got on stderr, and, when
// PARITY_PORTKEY_SEED is set, seeds Math.random (the gateway's loadbalance
// draw) so that a run's split counts repeat. It changes nothing else.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  // serve() calls listen(port, hostname, callback), hostname undefined.
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') {
    args.splice(1, args[1] === undefined ? 1 : 0, '127.0.0.1');
  }
  this.once('listening', () => {
    const a = this.address();
    if (a && typeof a === 'object') {
      process.stderr.write(`parity-portkey: listening on ${a.address}:${a.port}\n`);
    }
  });
  return listen.apply(this, args);
};

// mulberry32: a small seeded generator of floats in [0, 1).
const seed = process.env.PARITY_PORTKEY_SEED;
if (seed !== undefined && seed !== '') {
  let s = Number.parseInt(seed, 10) >>> 0;
  Math.random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
