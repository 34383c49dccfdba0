import { execFileSync, spawnSync } from 'node:child_process';

// Four "hosts" on one machine: network namespaces joined by a bridge, each with an address of
// its own that this test assigns. Nothing else is addressed: only these and loopback.

export interface Hosts {
  names: string[];
  addresses: string[];
  bridge: string;
}

/** Why namespaces cannot be made here, or undefined when they can (root, `ip netns` works). */
export function whyNoNamespaces(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: `ip netns` needs root';
  const probe = `qtprobe${process.pid % 100_000}`;
  const added = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (added.error !== undefined) return `\`ip\` cannot run: ${added.error.message}`;
  if (added.status !== 0) return `\`ip netns add\` was refused: ${added.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes `count` namespaces on a bridge; `remove` undoes all of it, whatever was made. */
export function createHosts(count: number): Hosts & { remove: () => void } {
  const tag = String(process.pid % 100_000);
  const subnet = `10.251.${(process.pid % 200) + 20}`;
  const bridge = `qb${tag}`;
  const names = Array.from({ length: count }, (_, i) => `qt${tag}h${i + 1}`);
  const addresses = names.map((_, i) => `${subnet}.${i + 1}`);
  const remove = () => {
    for (const name of names) spawnSync('ip', ['netns', 'del', name]);
    spawnSync('ip', ['link', 'del', bridge]);
  };
  try {
    ip('link', 'add', bridge, 'type', 'bridge');
    ip('addr', 'add', `${subnet}.254/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    names.forEach((name, i) => {
      const outside = `qv${tag}o${i + 1}`;
      const inside = `qv${tag}i${i + 1}`;
      ip('netns', 'add', name);
      ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
      ip('link', 'set', inside, 'netns', name);
      ip('link', 'set', outside, 'master', bridge, 'up');
      ip('-n', name, 'addr', 'add', `${addresses[i]}/24`, 'dev', inside);
      ip('-n', name, 'link', 'set', inside, 'up');
      ip('-n', name, 'link', 'set', 'lo', 'up');
    });
  } catch (error) {
    remove();
    throw error;
  }
  return { names, addresses, bridge, remove };
}
