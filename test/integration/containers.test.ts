// The container files, checked without a Docker engine: docker-compose.yml's structure (services, the one image,
// commands that are real `xborder` commands, environment variables platform/config.ts reads, Redis durability,
// volumes, ports that agree with the config and the Prometheus scrape config), the official compose schema when a
// compose CLI is installed, and the Dockerfile's shape (multi-stage, non-root, `xborder` entrypoint).
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { commands } from '../../cli/commands/index.js';

const run = promisify(execFile);

interface Service {
  image?: string;
  build?: { context: string } | string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  profiles?: string[];
  deploy?: { replicas?: number };
  healthcheck?: { test: string[] };
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as Compose;
const services = compose.services;
const xborderServices = Object.entries(services).filter(([, s]) => s.image === 'xborder:latest');
const configSource = readFileSync('platform/config.ts', 'utf8');
const configVariables = new Set([...configSource.matchAll(/'(XBORDER_[A-Z0-9_]+)'/g)].map((m) => m[1]));

function service(name: string): Service {
  const found = services[name];
  if (found === undefined) throw new Error(`no service ${name}`);
  return found;
}

/** The registered command the words select, as cli/main.ts finds it (the longest matching path). */
function commandFor(words: readonly string[]) {
  return commands
    .filter((c) => c.path.every((w, i) => words[i] === w))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

describe('docker-compose.yml', () => {
  it('has Redis, gateway, workers, receiver, Prometheus and Grafana', () => {
    for (const name of ['redis', 'gateway', 'workers', 'receiver', 'prometheus', 'grafana'])
      expect(services, name).to.have.property(name);
  });

  it('runs Redis with AOF, appendfsync always and noeviction, on a volume', () => {
    const command = (service('redis').command ?? []).join(' ');
    expect(command).to.include('--appendonly yes');
    expect(command).to.include('--appendfsync always');
    expect(command).to.include('--maxmemory-policy noeviction');
    expect(service('redis').volumes).to.include('redis-data:/data');
  });

  it('builds one image for every xborder role, and each service runs a registered `xborder` command with options it knows', async () => {
    expect(xborderServices.map(([name]) => name)).to.include.members([
      'gateway',
      'workers',
      'receiver',
      'pki',
    ]);
    for (const [name, s] of xborderServices) {
      const build = typeof s.build === 'string' ? s.build : s.build?.context;
      expect(build, `${name}: build context`).to.equal('.');
      const words = s.command ?? [];
      const entry = commandFor(words);
      expect(entry, `${name}: "${words.join(' ')}" is not an xborder command`).to.not.equal(undefined);
      const command = await entry?.load();
      for (const option of words.filter((w) => w.startsWith('--')))
        expect(
          command?.help,
          `${name}: ${option} in \`xborder ${command?.path.join(' ')} --help\``,
        ).to.include(option);
    }
  });

  it('sets only environment variables platform/config.ts reads, and binds every server to 0.0.0.0', () => {
    for (const [name, s] of xborderServices) {
      for (const variable of Object.keys(s.environment ?? {}))
        expect(
          configVariables.has(variable),
          `${name}: ${variable} is not read by platform/config.ts`,
        ).to.equal(true);
    }
    for (const name of ['gateway', 'workers', 'receiver'])
      expect(service(name).environment?.['XBORDER_BIND_HOST'], name).to.equal('0.0.0.0');
  });

  it('lets workers scale: no host port, and Prometheus discovers every replica on the metrics port', () => {
    const workers = service('workers');
    expect(workers.ports ?? []).to.deep.equal([]);
    const prometheus = parse(readFileSync('dashboards/prometheus/prometheus.yaml', 'utf8')) as {
      scrape_configs: { job_name: string; dns_sd_configs?: { names: string[]; port: number }[] }[];
    };
    const job = (name: string) =>
      prometheus.scrape_configs.find((j) => j.job_name === name)?.dns_sd_configs?.[0];
    expect(job('xborder-workers')).to.deep.include({ names: ['workers'] });
    expect(String(job('xborder-workers')?.port)).to.equal(workers.environment?.['XBORDER_METRICS_PORT']);
    expect(job('xborder-gateway')).to.deep.include({ names: ['gateway'] });
    expect(String(job('xborder-gateway')?.port)).to.equal(
      service('gateway').environment?.['XBORDER_HTTP_PORT'],
    );
  });

  it('publishes the gateway and receiver on the ports they listen on', () => {
    const gateway = service('gateway');
    expect(gateway.ports).to.deep.equal([`8080:${gateway.environment?.['XBORDER_HTTP_PORT']}`]);
    const receiver = service('receiver');
    expect(receiver.ports).to.deep.equal([`8443:${receiver.environment?.['XBORDER_RECEIVER_PORT']}`]);
  });

  it('mounts only declared named volumes and bind sources that exist in the repository', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const volume of s.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('.')) expect(existsSync(source), `${name}: ${source}`).to.equal(true);
        else expect(compose.volumes, `${name}: volume ${source}`).to.have.property(source);
      }
    }
  });

  it('provisions Grafana from dashboards/ and points Prometheus at the scrape config', () => {
    const grafana = service('grafana').volumes ?? [];
    expect(grafana).to.include('./dashboards/grafana/provisioning:/etc/grafana/provisioning:ro');
    const provider = parse(
      readFileSync('dashboards/grafana/provisioning/dashboards/xborder.yaml', 'utf8'),
    ) as {
      providers: { options: { path: string } }[];
    };
    const dashboardsPath = provider.providers[0]?.options.path;
    expect(grafana).to.include(`./dashboards/grafana/dashboards:${dashboardsPath}:ro`);
    const configFlag = (service('prometheus').command ?? []).find((c) => c.startsWith('--config.file='));
    expect(configFlag).to.equal('--config.file=/etc/prometheus/xborder/prometheus/prometheus.yaml');
    expect(service('prometheus').volumes).to.include('./dashboards:/etc/prometheus/xborder:ro');
  });

  it('depends only on services that exist', () => {
    for (const [name, s] of Object.entries(services)) {
      const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      for (const dep of deps) expect(services, `${name} → ${dep}`).to.have.property(dep);
    }
  });

  it('passes the compose schema (docker compose / docker-compose config), when one is installed', async function () {
    const candidates: [string, string[]][] = [
      ['docker', ['compose', '-f', 'docker-compose.yml', 'config', '-q']],
      ['docker-compose', ['-f', 'docker-compose.yml', 'config', '-q']],
    ];
    for (const [bin, args] of candidates) {
      try {
        await run(bin, args);
        return;
      } catch (err) {
        const failure = err as { code?: unknown; stderr?: string };
        // Not installed (ENOENT) or no compose plugin: try the next; a real validation error fails the test.
        if (
          failure.code === 'ENOENT' ||
          /unknown command|is not a docker command|unknown shorthand flag/i.test(failure.stderr ?? '')
        )
          continue;
        throw new Error(`${bin} ${args.join(' ')}: ${failure.stderr ?? String(err)}`, { cause: err });
      }
    }
    console.log(
      '      no compose CLI installed: schema check skipped (Debian: apt-get install docker-compose)',
    );
    this.skip();
  });
});

describe('Dockerfile', () => {
  const text = readFileSync('Dockerfile', 'utf8');
  const lines = text.split('\n').filter((l) => !l.startsWith('#'));

  it('is multi-stage: a build stage with the dev dependencies, a runtime stage copying from it', () => {
    expect(lines.filter((l) => l.startsWith('FROM ')).length).to.equal(2);
    expect(text).to.match(/^FROM \S+ AS build$/m);
    expect(text).to.match(/npm prune --omit=dev/);
    expect(lines.filter((l) => l.startsWith('COPY --from=build')).length).to.be.greaterThan(3);
  });

  it('runs as the unprivileged node user with the xborder entrypoint, bound to 0.0.0.0', () => {
    const runtime = text.slice(text.lastIndexOf('\nFROM '));
    expect(runtime).to.match(/^USER node$/m);
    expect(runtime).to.match(/^ENTRYPOINT \["xborder"\]$/m);
    expect(runtime).to.include('XBORDER_BIND_HOST=0.0.0.0');
    for (const [, variable] of runtime.matchAll(/(XBORDER_[A-Z0-9_]+)=/g))
      expect(configVariables.has(variable), variable).to.equal(true);
  });

  it('leaves local data, installed trees and tests out of the build context', () => {
    const ignored = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(ignored).to.include.members(['.git', 'node_modules', 'dist', '.xborder', 'test']);
  });
});
