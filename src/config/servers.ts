// Server addresses: the three accepted forms, host and port checks, and naming a server by id.
import { badConfig, isPlainObject, showValue, suggestKey } from './config-errors.js';
import { checkHost, hostsOverlap, isSameHost } from './hosts.js';

export interface Address {
  host: string;
  port: number;
  /** The node's HTTP API port, when the server entry sets one (object form only). */
  httpPort?: number;
}

const serverKeys = ['host', 'port', 'httpPort'] as const;
const serverForms = '"host:port", {"host": "...", "port": 10000} or ["host", 10000]';

export function parseServerEntry(entry: unknown, index: number): Address {
  const field = `server ${index + 1} (\`servers[${index}]\`)`;
  if (typeof entry === 'string') return parseAddressString(entry, field);
  if (Array.isArray(entry) && entry.length === 2) {
    return { host: checkHost(entry[0], field), port: checkPort(entry[1], field) };
  }
  if (isPlainObject(entry)) {
    const unknownKey = Object.keys(entry).find(
      (key) => !(serverKeys as readonly string[]).includes(key),
    );
    if (unknownKey !== undefined) {
      throw badConfig(
        `Unknown key \`${unknownKey}\` in ${field}${suggestKey(unknownKey, serverKeys)}`,
      );
    }
    const address: Address = {
      host: checkHost(entry.host, field),
      port: checkPort(entry.port, field),
    };
    if (entry.httpPort !== undefined) {
      address.httpPort = checkPort(entry.httpPort, field, undefined, 'httpPort');
      if (address.httpPort === address.port) {
        throw badConfig(
          `Expected the httpPort of ${field} to differ from its port (${address.port}); give HTTP a port of its own.`,
        );
      }
    }
    return address;
  }
  throw badConfig(`Expected ${field} to be ${serverForms}, got ${showValue(entry)}.`);
}

// In "host:port" the port is text: digits only, read as a number.
function parseAddressString(text: string, field: string): Address {
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(text);
  const colon = text.lastIndexOf(':');
  const [host, port] = bracketed
    ? [bracketed[1], bracketed[2]]
    : colon > 0 && text.indexOf(':') === colon
      ? [text.slice(0, colon), text.slice(colon + 1)]
      : [];
  if (host === undefined || port === undefined) {
    throw badConfig(
      `Expected ${field} to be ${serverForms} (write IPv6 hosts as "[::1]:10000"), got ${showValue(text)}.`,
    );
  }
  const checkedHost = checkHost(host, field);
  return {
    host: checkedHost,
    port: checkPort(/^\d+$/.test(port) ? Number(port) : NaN, field, port),
  };
}

// `text` is the port as written in "host:port"; elsewhere a port must be a JSON or Python number.
function checkPort(port: unknown, field: string, text?: string, name = 'port'): number {
  if (typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65_535) {
    return port;
  }
  const quoted =
    typeof port === 'string' && /^\d+$/.test(port)
      ? ' (a string: write the number without quotes)'
      : '';
  throw badConfig(
    `Expected the ${name} of ${field} to be a whole number from 1 to 65535, got ${showValue(text ?? port)}${quoted}.`,
  );
}

// Pairwise, so "localhost:P" beside "127.0.0.1:P" is caught; servers are at most serversMax.
export function checkDistinctAddresses(addresses: Address[]): void {
  addresses.forEach((address, index) => {
    const first = addresses.findIndex(
      (other, otherIndex) =>
        otherIndex < index && other.port === address.port && hostsOverlap(other.host, address.host),
    );
    if (first === -1) return;
    const [text, firstText] = [formatAddress(address), formatAddress(addresses[first] as Address)];
    const same =
      text === firstText ? `the address ${text}` : `${text}, the same address as ${firstText},`;
    throw badConfig(
      `Server ${index + 1} (\`servers[${index}]\`) duplicates ${same} of server ${first + 1}; give each server its own port.`,
    );
  });
}

// A server named by its id ("2") or its address ("127.0.0.1:10001", or the host spelt otherwise).
export function findServerId(ref: string, addresses: Address[]): number | undefined {
  const text = ref.trim();
  if (/^\d+$/.test(text)) {
    const id = Number(text);
    return id >= 1 && id <= addresses.length ? id : undefined;
  }
  const index = addresses.findIndex((address) => formatAddress(address) === text);
  if (index !== -1) return index + 1;
  const colon = text.lastIndexOf(':');
  const port = Number(text.slice(colon + 1));
  const host = text.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const same = addresses.findIndex((a) => a.port === port && isSameHost(a.host, host));
  return same === -1 ? undefined : same + 1;
}

export function formatAddress(address: Address): string {
  return address.host.includes(':')
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`;
}
