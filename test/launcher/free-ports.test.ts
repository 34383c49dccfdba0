import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import test from 'ava';
import { findFreePorts } from '../../src/launcher/free-ports.js';

test('free ports are distinct, outside the ephemeral range, and can be listened on', async (t) => {
  const ports = await findFreePorts(8);
  t.is(new Set(ports).size, 8);
  let ephemeralLow = 32_768;
  try {
    ephemeralLow = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0],
    );
  } catch {
    // not Linux: the default range start
  }
  for (const port of ports) {
    t.true(port >= 20_000 && port < ephemeralLow, `port ${port}`);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port, exclusive: true }, resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a port handed out is not handed out again before its cluster listens on it', async (t) => {
  // The first ports are free again once found (nothing listens on them yet): without the
  // reservation, 300 random picks each from ~12,700 ports share about 7.
  const first = await findFreePorts(300);
  const second = await findFreePorts(300);
  const shared = first.filter((port) => new Set(second).has(port));
  t.deepEqual(shared, []);
});
