import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Ports below this are left alone: the example configs use 10000-10003. */
const portMin = 20_000;
/** Linux's default start of the ephemeral range, used where /proc does not say. */
const ephemeralLowDefault = 32_768;
/** Random picks per port wanted before giving up. */
const attemptsPerPort = 50;
/**
 * How long a port handed out stays reserved for its process: another process (or another call
 * here) picking in that time skips it, even before the cluster it was meant for listens on it.
 */
export const portReservationMs = 10 * 60_000;
/** One empty file per reserved port, named by it, created exclusively. */
const reservationDir = join(tmpdir(), 'quartet-ports');

/**
 * Ports free right now for a cluster to listen on. They are picked below the kernel's ephemeral
 * range: `listen(0)` hands out ports from that range, and so does every outgoing connection, so a
 * port found that way can be taken by some node's connection to a peer before the node that was
 * meant to listen on it starts. Each pick is checked by listening on it, and reserved (a file in
 * reservationDir, for portReservationMs) so that two processes picking at once, as test files
 * running side by side do, never get the same port between the pick and the listen.
 */
export async function findFreePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const portMax = ephemeralLow() - 1;
  if (portMax - portMin < 1_000) return findEphemeralPorts(count, host);
  const held: Server[] = [];
  try {
    for (let attempt = 0; held.length < count && attempt < count * attemptsPerPort; attempt++) {
      const port = portMin + Math.floor(Math.random() * (portMax - portMin + 1));
      if (!reserve(port)) continue;
      const server = await tryListen(host, port);
      if (server !== undefined) held.push(server);
    }
    if (held.length < count) return await findEphemeralPorts(count, host);
    return held.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(held.map((server) => new Promise((done) => server.close(done))));
  }
}

// True when this process may use `port`: no other reserved it within portReservationMs. Where
// the folder cannot be written, listening is the only check, as before.
function reserve(port: number): boolean {
  const path = join(reservationDir, String(port));
  try {
    mkdirSync(reservationDir, { recursive: true });
    writeFileSync(path, String(process.pid), { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return true;
  }
  try {
    if (Date.now() - statSync(path).mtimeMs < portReservationMs) return false;
    writeFileSync(path, String(process.pid));
    return true;
  } catch {
    return false;
  }
}

function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/);
    const port = Number(low);
    return Number.isInteger(port) && port > 0 ? port : ephemeralLowDefault;
  } catch {
    return ephemeralLowDefault;
  }
}

function tryListen(host: string, port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ host, port, exclusive: true }, () => resolve(server));
  });
}

// Where the ephemeral range leaves no room below it: let the kernel pick (all at once, so they differ).
async function findEphemeralPorts(count: number, host: string): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => tryListen(host, 0)));
  const ports = servers.map((server) => (server?.address() as AddressInfo | undefined)?.port);
  await Promise.all(
    servers.map((server) => new Promise((done) => server?.close(done) ?? done(undefined))),
  );
  if (ports.some((port) => port === undefined)) throw new Error('No free port to listen on.');
  return ports as number[];
}
