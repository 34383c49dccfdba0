// Server addresses: the three accepted forms, host and port checks, and naming a server by id.
import { badConfig, isPlainObject, showValue, suggestKey } from './config-errors.js';

export interface Address {
  host: string;
  port: number;
  /** The node's HTTP API port, when the server entry sets one (object form only). */
  httpPort?: number;
}

const serverKeys = ['host', 'port', 'httpPort'] as const;
const hostnamePattern = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
const ipv6Pattern = /^[0-9A-Fa-f:.]+$/;
const serverForms = '"host:port", {"host": "...", "port": 10000} or ["host", 10000]';

export function parseServerEntry(entry: unknown, index: number): Address {
  const field = `server ${index + 1} (\`servers[${index}]\`)`;
  if (typeof entry === 'string') return parseAddressString(entry, field);
  if (Array.isArray(entry) && entry.length === 2) return checkAddress(entry[0], entry[1], field);
  if (isPlainObject(entry)) {
    const unknownKey = Object.keys(entry).find(
      (key) => !(serverKeys as readonly string[]).includes(key),
    );
    if (unknownKey !== undefined) {
      throw badConfig(
        `Unknown key \`${unknownKey}\` in ${field}${suggestKey(unknownKey, serverKeys)}`,
      );
    }
    const address = checkAddress(entry.host, entry.port, field);
    if (entry.httpPort !== undefined) {
      address.httpPort = checkPort(entry.httpPort, `the httpPort of ${field}`);
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

function parseAddressString(text: string, field: string): Address {
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(text);
  const colon = text.lastIndexOf(':');
  if (bracketed) return checkAddress(bracketed[1], bracketed[2], field);
  if (colon > 0 && text.indexOf(':') === colon) {
    return checkAddress(text.slice(0, colon), text.slice(colon + 1), field);
  }
  throw badConfig(
    `Expected ${field} to be ${serverForms} (write IPv6 hosts as "[::1]:10000"), got ${showValue(text)}.`,
  );
}

function checkAddress(host: unknown, port: unknown, field: string): Address {
  const hostOk =
    typeof host === 'string' &&
    (hostnamePattern.test(host) || (host.includes(':') && ipv6Pattern.test(host)));
  if (!hostOk) {
    throw badConfig(
      `Expected the host of ${field} to be a hostname or IP address such as "127.0.0.1", got ${showValue(host)}.`,
    );
  }
  return { host, port: checkPort(port, `the port of ${field}`) };
}

function checkPort(port: unknown, field: string): number {
  const portNumber = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
  if (
    typeof portNumber !== 'number' ||
    !Number.isInteger(portNumber) ||
    portNumber < 1 ||
    portNumber > 65_535
  ) {
    throw badConfig(
      `Expected ${field} to be a whole number from 1 to 65535, got ${showValue(port)}.`,
    );
  }
  return portNumber;
}

export function checkDistinctAddresses(addresses: Address[]): void {
  const seen = new Map<string, number>();
  addresses.forEach((address, index) => {
    const text = formatAddress(address);
    const first = seen.get(text);
    if (first !== undefined) {
      throw badConfig(
        `Server ${index + 1} duplicates the address ${text} of server ${first}; give each server its own port.`,
      );
    }
    seen.set(text, index + 1);
  });
}

// A server named by its id ("2") or its address ("127.0.0.1:10001").
export function findServerId(ref: string, addresses: Address[]): number | undefined {
  const text = ref.trim();
  if (/^\d+$/.test(text)) {
    const id = Number(text);
    return id >= 1 && id <= addresses.length ? id : undefined;
  }
  const index = addresses.findIndex((address) => formatAddress(address) === text);
  return index === -1 ? undefined : index + 1;
}

export function formatAddress(address: Address): string {
  return address.host.includes(':')
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`;
}
