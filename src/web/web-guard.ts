import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ErrorCode } from '../core/errors.js';

/** A refused request: its HTTP status and the registry code and message it answers with. */
export interface Refusal {
  status: number;
  code: ErrorCode;
  message: string;
}

const tokenBytes = 24;
const tokenHeader = 'x-quartet-token';

/**
 * Who may use the live page: requests that name this server as their Host (no DNS rebinding),
 * carry no foreign Origin (no cross-site request), and hold the session token (from the printed
 * URL, then an HttpOnly SameSite=Strict cookie, or the x-quartet-token header).
 */
export class WebGuard {
  readonly token = randomBytes(tokenBytes).toString('base64url');
  readonly cookieName: string;
  readonly #hosts: Set<string>;

  constructor(host: string, port: number) {
    // Cookies are per host, not per port: name it by port so two sessions do not collide.
    this.cookieName = `quartet-token-${port}`;
    const names = [host.includes(':') ? `[${host}]` : host];
    if (isLoopback(host)) names.push('localhost', '127.0.0.1', '[::1]');
    this.#hosts = new Set(names.map((name) => `${name}:${port}`));
  }

  /** The Set-Cookie header that keeps the token for the page's own requests. */
  get cookie(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** Why `request` is refused, or undefined when it may go on. */
  check(request: IncomingMessage, url: URL): Refusal | undefined {
    const host = request.headers.host ?? '';
    if (!this.#hosts.has(host.toLowerCase()))
      return forbidden(`Host \`${host}\` is not this page's address; open the URL \`up\` printed.`);
    const origin = request.headers.origin;
    if (origin !== undefined && !this.#isOwnOrigin(origin))
      return forbidden(
        `Origin \`${origin}\` is another site's; only the page itself may send requests.`,
      );
    if (!this.#hasToken(request, url))
      return {
        status: 401,
        code: 'WEB_UNAUTHORIZED',
        message:
          'This request has no valid session token; open the URL (with ?token=...) that `quartet up --web` printed.',
      };
    return undefined;
  }

  #isOwnOrigin(origin: string): boolean {
    const prefix = 'http://';
    return origin.startsWith(prefix) && this.#hosts.has(origin.slice(prefix.length).toLowerCase());
  }

  #hasToken(request: IncomingMessage, url: URL): boolean {
    const header = request.headers[tokenHeader];
    const candidates = [
      url.searchParams.get('token') ?? undefined,
      typeof header === 'string' ? header : undefined,
      readCookie(request.headers.cookie, this.cookieName),
    ];
    return candidates.some((candidate) => candidate !== undefined && this.#matches(candidate));
  }

  #matches(candidate: string): boolean {
    const given = Buffer.from(candidate);
    const expected = Buffer.from(this.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function forbidden(message: string): Refusal {
  return { status: 403, code: 'WEB_FORBIDDEN', message };
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
