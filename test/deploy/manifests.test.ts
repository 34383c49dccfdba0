import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { parseAllDocuments, parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';

// What can be checked here of the deployment recipes: they parse, have the expected kinds and
// fields, and the configs they carry load. Docker and Kubernetes themselves are not run here.

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;

async function loadConfigText(text: string) {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-deploy-'));
  try {
    const path = join(dir, 'config.json');
    await writeFile(path, text);
    return await loadConfig(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Doc = Record<string, any>;

test('the Kubernetes manifests are a ConfigMap, a headless Service and a StatefulSet of four', async (t) => {
  const docs = parseAllDocuments(await readFile(join(root, 'deploy/k8s/quartet.yaml'), 'utf8'));
  t.true(docs.every((doc) => doc.errors.length === 0));
  const byKind = new Map(docs.map((doc) => [doc.toJS().kind as string, doc.toJS() as Doc]));
  t.deepEqual([...byKind.keys()].sort(), ['ConfigMap', 'Service', 'StatefulSet']);
  const service = byKind.get('Service')!;
  t.is(service.spec.clusterIP, 'None');
  const set = byKind.get('StatefulSet')!;
  t.is(set.spec.serviceName, service.metadata.name);
  t.is(set.spec.replicas, 4);
  t.is(set.spec.volumeClaimTemplates.length, 1);
  const container = set.spec.template.spec.containers[0];
  const secret = container.env.find((e: Doc) => e.name === 'QUARTET_SECRET');
  t.is(secret.valueFrom.secretKeyRef.name, 'quartet-secret');
  t.is(container.readinessProbe.httpGet.path, '/status');
  t.true(set.spec.template.spec.securityContext.runAsNonRoot);
});

test('the StatefulSet\u2019s config names its pods quartet-0..3 through the headless Service, and loads', async (t) => {
  const docs = parseAllDocuments(await readFile(join(root, 'deploy/k8s/quartet.yaml'), 'utf8'));
  const configMap = docs.map((doc) => doc.toJS() as Doc).find((doc) => doc.kind === 'ConfigMap')!;
  const config = await loadConfigText(configMap.data['config.json']);
  t.deepEqual(
    config.servers.map((server) => `${server.host}:${server.port}:${server.httpPort}`),
    [0, 1, 2, 3].map((ordinal) => `quartet-${ordinal}.quartet:10000:8080`),
  );
  t.is(config.replicationFactor, 3);
});

test('the compose file runs four nodes, each its own id, data volume and HTTP port, and its config loads', async (t) => {
  const compose = parse(await readFile(join(root, 'deploy/compose.yaml'), 'utf8')) as Doc;
  const services = Object.entries(compose.services as Record<string, Doc>);
  t.is(services.length, 4);
  t.deepEqual(services.map(([, s]) => s.environment.QUARTET_ID).sort(), ['1', '2', '3', '4']);
  t.is(new Set(services.map(([, s]) => s.ports[0])).size, 4);
  t.is(new Set(services.map(([, s]) => s.volumes[1])).size, 4);
  const config = await loadConfigText(
    await readFile(join(root, 'deploy/compose-config.json'), 'utf8'),
  );
  t.deepEqual(
    config.servers.map((server) => server.host),
    services.map(([name]) => name),
  );
});

test('the Dockerfile builds in two stages and runs as a non-root user with a health check', async (t) => {
  const text = await readFile(join(root, 'Dockerfile'), 'utf8');
  t.is(text.match(/^FROM /gm)?.length, 2);
  t.regex(text, /^USER quartet$/m);
  t.regex(text, /^VOLUME \/data$/m);
  t.regex(text, /^HEALTHCHECK .*\n.*\/status/m);
});

test('the container entry point derives the node id from the pod name and passes the options', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'quartet-entry-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const argsPrinter = join(dir, 'print-args.mjs');
  await writeFile(argsPrinter, 'console.log(JSON.stringify(process.argv.slice(2)));\n');
  const entry = join(root, 'deploy/entrypoint.sh');
  const env = { PATH: process.env.PATH, QUARTET_BIN: argsPrinter, QUARTET_SECRET: 's' };
  const { stdout } = await run('sh', [entry], { env: { ...env, HOSTNAME: 'quartet-2' } });
  const args = JSON.parse(stdout) as string[];
  t.is(args[args.indexOf('--id') + 1], '3');
  t.is(args[args.indexOf('--listen') + 1], '0.0.0.0');
  t.is(args[args.indexOf('--data-dir') + 1], '/data/node-3');
  const refused = await t.throwsAsync(run('sh', [entry], { env: { ...env, HOSTNAME: 'laptop' } }));
  t.regex(String((refused as { stderr?: string }).stderr), /set QUARTET_ID/);
  const noSecret = await t.throwsAsync(
    run('sh', [entry], { env: { PATH: process.env.PATH, HOSTNAME: 'quartet-0' } }),
  );
  t.regex(String((noSecret as { stderr?: string }).stderr), /QUARTET_SECRET/);
});
