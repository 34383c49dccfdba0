// Host checks (DNS names, IPv4 in its one unambiguous form, IPv6) and when two hosts would
// listen on the same address.
import { isIPv4, isIPv6 } from 'node:net';
import { configBounds } from './config-defaults.js';
import { badConfig, showValue } from './config-errors.js';

const labelPattern = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const loopbackHosts = ['127.0.0.1', '::1'];

/** The host as given, once it is a DNS name, a dotted-quad IPv4 address or an IPv6 address. */
export function checkHost(host: unknown, field: string): string {
  const expected = `Expected the host of ${field} to be`;
  if (typeof host !== 'string' || host === '') {
    throw badConfig(
      `${expected} a hostname or IP address such as "127.0.0.1", got ${showValue(host)}.`,
    );
  }
  if (host.includes(':')) {
    if (isIPv6(host)) return host;
    throw badConfig(`${expected} an IPv6 address such as "::1", got ${showValue(host)}.`);
  }
  const labels = host.replace(/\.$/, '').split('.');
  if (/^\d+$/.test(labels.at(-1) ?? '')) {
    if (isIPv4(host)) return host;
    throw badConfig(
      `${expected} an IPv4 address: four numbers 0-255 without leading zeros${describeReading(host)}, got ${showValue(host)}.`,
    );
  }
  if (host.length > configBounds.hostBytesMax) {
    throw badConfig(
      `${expected} a hostname of at most ${configBounds.hostBytesMax} characters, got one of ${host.length}.`,
    );
  }
  const label = labels.find(
    (part) => !labelPattern.test(part) || part.length > configBounds.hostLabelBytesMax,
  );
  if (label !== undefined) {
    throw badConfig(
      `${expected} a hostname or IP address such as "127.0.0.1", got ${showValue(host)}: ${describeLabel(label)}.`,
    );
  }
  return host;
}

// "127.000.000.001" is 127.0.0.1 to the system but "010.0.0.1" is 8.0.0.1 (octal): name it.
function describeReading(host: string): string {
  try {
    const read = new URL(`http://${host}`).hostname;
    return isIPv4(read) ? ` (the system would read this one as ${read}; write that)` : '';
  } catch {
    return ''; // Not an address in any form: the message already says what is expected.
  }
}

function describeLabel(label: string): string {
  if (label === '') return 'it has an empty part between dots';
  if (label.length > configBounds.hostLabelBytesMax) {
    return `a part between dots is ${label.length} characters, over ${configBounds.hostLabelBytesMax}`;
  }
  const bad = /[^A-Za-z0-9-]/.exec(label)?.[0];
  if (bad !== undefined) return `${JSON.stringify(bad)} is not allowed (letters, digits, - and .)`;
  return 'a part between dots starts or ends with -';
}

/** The address a host names, for comparing: IPv6 in its short form, names in lower case. */
function identifyHost(host: string): string {
  if (isIPv6(host) && !host.includes('%')) return new URL(`http://[${host}]`).hostname.slice(1, -1);
  return host.toLowerCase().replace(/\.$/, '');
}

/** Two spellings of one host: "::1" and "0:0:0:0:0:0:0:1", "Node1" and "node1.". */
export function isSameHost(first: string, second: string): boolean {
  return identifyHost(first) === identifyHost(second);
}

function isLoopbackName(identity: string): boolean {
  return identity === 'localhost';
}

/**
 * Whether two servers on one port would take the same address: the same host written two ways,
 * `localhost` beside a loopback address, or a wildcard (0.0.0.0, ::) beside anything it covers.
 * Other names are not resolved here; a clash between them shows as PORT_IN_USE at startup.
 */
export function hostsOverlap(first: string, second: string): boolean {
  const [a, b] = [identifyHost(first), identifyHost(second)];
  if (a === b || a === '::' || b === '::') return true;
  const covers = (wildcard: string, other: string) =>
    wildcard === '0.0.0.0' && (isIPv4(other) || isLoopbackName(other));
  if (covers(a, b) || covers(b, a)) return true;
  const namesLoopback = (name: string, other: string) =>
    isLoopbackName(name) && (isLoopbackName(other) || loopbackHosts.includes(other));
  return namesLoopback(a, b) || namesLoopback(b, a);
}
