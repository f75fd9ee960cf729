// test/chaos/support/netns: hosts for a multi-host test on one machine — Linux network namespaces joined by a
// bridge that the test creates, so each process has its own network stack and reaches the others only over the
// bridge addresses, as separate machines would. Needs root (`ip netns`). Names and the subnet come from the test
// runner's pid, so parallel runs do not clash; `close()` removes everything, and is safe to call after a failure
// half-way through `createNetwork`.
import { execFileSync } from 'node:child_process';

export interface Host {
  /** The namespace's name (`ip netns exec <ns>`). */
  readonly ns: string;
  /** Its address on the bridge. */
  readonly address: string;
  /** What runs a command inside the namespace: processes.ts `launcher`. */
  readonly launcher: readonly string[];
  /** Kills -9 every process in the namespace, as a power cut would; resolves once none is left. */
  crash(): Promise<void>;
}

export interface Network {
  /** The root namespace's address on the bridge: where the shared services (Redis, S3, the partner) listen. */
  readonly bridgeAddress: string;
  /** The bridge's subnet as a CIDR (what endpoint URLs may resolve to: XBORDER_ENDPOINT_ALLOWED_NETS). */
  readonly subnet: string;
  readonly hosts: readonly Host[];
  close(): void;
}

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });

/** `ip netns add` works here (root, and a kernel with network namespaces): a test skips itself otherwise. */
export function namespacesAvailable(): boolean {
  const probe = `xb${process.pid}probe`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return true;
  } catch {
    return false;
  }
}

function pidsIn(ns: string): number[] {
  try {
    return ip('netns', 'pids', ns)
      .split('\n')
      .filter((line) => line !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** SIGKILL, ignoring a process that is already gone. */
function kill9(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Exited meanwhile.
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** A /24 in 10.128.0.0/9 from the pid: two runners at once get different ones unless their pids are 2^15 apart. */
function subnetFor(pid: number): string {
  return `10.${128 + ((pid >> 8) % 128)}.${pid % 256}`;
}

/** `count` hosts, addresses .11, .12, … on a fresh bridge whose root-side address is .1. */
export function createNetwork(count: number): Network {
  const tag = `xb${process.pid}`;
  const net24 = subnetFor(process.pid);
  const bridge = `${tag}br`;
  const namespaces: string[] = [];

  const close = (): void => {
    for (const [i, ns] of namespaces.entries()) {
      for (const pid of pidsIn(ns)) kill9(pid);
      // The namespace lives on while a killed process has not exited yet, and its veth pair with it: delete
      // the pair from the root side now, then the name.
      for (const args of [
        ['link', 'del', `${tag}v${i}`],
        ['netns', 'del', ns],
      ]) {
        try {
          ip(...args);
        } catch {
          // Already gone, or never made.
        }
      }
    }
    try {
      ip('link', 'del', bridge);
    } catch {
      // Never made.
    }
  };

  try {
    ip('link', 'add', bridge, 'type', 'bridge');
    ip('addr', 'add', `${net24}.1/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    const hosts: Host[] = [];
    for (let i = 0; i < count; i += 1) {
      const ns = `${tag}h${i}`;
      const outside = `${tag}v${i}`;
      const address = `${net24}.${11 + i}`;
      ip('netns', 'add', ns);
      namespaces.push(ns);
      ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      ip('link', 'set', outside, 'master', bridge);
      ip('link', 'set', outside, 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      ip('-n', ns, 'link', 'set', 'eth0', 'up');
      hosts.push({
        ns,
        address,
        launcher: ['ip', 'netns', 'exec', ns],
        async crash() {
          for (const pid of pidsIn(ns)) kill9(pid);
          while (pidsIn(ns).some(alive)) await new Promise((resolve) => setTimeout(resolve, 20));
        },
      });
    }
    return { bridgeAddress: `${net24}.1`, subnet: `${net24}.0/24`, hosts, close };
  } catch (err) {
    close();
    throw err;
  }
}
