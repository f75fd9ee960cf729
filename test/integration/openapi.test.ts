// docs/openapi.yaml against the gateway as built: every route the in-process gateway's Express router registers is
// in the document and every documented operation is a route (so whoever adds a route is told to document it); the
// document is well formed OpenAPI 3.1 (refs resolve, path parameters declared, unique operation ids, schemas
// compile as JSON Schema 2020-12); its request schemas are the validators' own; real answers match its responses.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { ManifestSchema } from '../../policies/manifest.js';
import {
  AttestationBody,
  EndpointBody,
  ExporterBody,
  FilingBody,
  PartnerBody,
  RevocationBody,
  SelfAssessmentBody,
} from '../../registry/records.js';
import { WebhookBody } from '../../registry/webhook-body.js';
import { startHarness, type Harness } from './gateway/gateway-harness.js';

type Json = Record<string, unknown>;
const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

const doc = parse(readFileSync('docs/openapi.yaml', 'utf8')) as {
  openapi: string;
  info: { title?: string; version?: string };
  tags?: { name: string }[];
  security?: Json[];
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Json; securitySchemes: Json; parameters: Json; responses: Json };
};

interface Operation {
  readonly key: string;
  readonly path: string;
  readonly method: string;
  readonly op: Json;
}
const operations: Operation[] = Object.entries(doc.paths).flatMap(([path, item]) =>
  methods
    .filter((m) => item[m] !== undefined)
    .map((m) => ({ key: `${m.toUpperCase()} ${path}`, path, method: m, op: item[m] as Json })),
);

/** Resolves a local `#/...` JSON Pointer in the document. */
function resolve(ref: string): unknown {
  let node: unknown = doc;
  for (const part of ref.replace(/^#\//, '').split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    node = typeof node === 'object' && node !== null ? (node as Json)[key] : undefined;
  }
  return node;
}
const deref = <T>(value: T | { $ref: string }): T =>
  typeof value === 'object' && value !== null && '$ref' in value ? (resolve(value.$ref) as T) : value;

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  name?: string;
  rawPath?: unknown;
}

/**
 * Every route the app answers, as "METHOD /openapi/{path}": route layers of mounted routers (paths are full, the
 * routers are mounted at /), and static-file mounts as GET <mount>/{file}.
 */
function routesOf(stack: readonly Layer[], out = new Set<string>()): Set<string> {
  for (const layer of stack) {
    if (layer.route !== undefined) {
      const path = String(layer.route.path).replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      for (const [method, on] of Object.entries(layer.route.methods))
        if (on && method !== '_all') out.add(`${method.toUpperCase()} ${path}`);
    } else if (layer.name === 'serveStatic') {
      out.add(`GET ${String(layer.rawPath)}/{file}`);
    } else if (layer.handle?.stack !== undefined) {
      routesOf(layer.handle.stack, out);
    }
  }
  return out;
}

/** TypeBox writes a string enum as anyOf of consts; the document says enum. Same meaning, compared as one. */
function normalize(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(normalize);
  if (schema === null || typeof schema !== 'object') return schema;
  const node = schema as Json;
  const anyOf = node['anyOf'];
  if (Array.isArray(anyOf) && anyOf.every((x: Json) => typeof x['const'] === 'string')) {
    const rest = Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'anyOf'));
    return { type: 'string', enum: anyOf.map((x: Json) => x['const']), ...(normalize(rest) as Json) };
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, normalize(v)]));
}

describe('docs/openapi.yaml', function () {
  this.timeout(30_000);
  let harness: Harness;
  let routes: Set<string>;

  before(async () => {
    harness = await startHarness();
    const app = harness.gateway.app as unknown as { router: { stack: Layer[] } };
    routes = routesOf(app.router.stack);
  });
  after(() => harness?.stop());

  it('documents every route the gateway registers (add new routes to docs/openapi.yaml)', () => {
    expect(routes.size).to.be.greaterThan(20);
    const documented = new Set(operations.map((o) => o.key));
    expect([...routes].filter((r) => !documented.has(r)).sort()).to.deep.equal([]);
  });

  it('documents no operation the gateway does not have', () => {
    expect(operations.map((o) => o.key).filter((k) => !routes.has(k))).to.deep.equal([]);
  });

  it('is OpenAPI 3.1 with info, declared tags and unique operation ids', () => {
    expect(doc.openapi).to.match(/^3\.1\.\d+$/);
    expect(doc.info.title).to.be.a('string');
    expect(doc.info.version).to.be.a('string');
    const tags = new Set((doc.tags ?? []).map((t) => t.name));
    const ids = operations.map((o) => o.op['operationId']);
    expect(new Set(ids).size, 'operationId unique').to.equal(ids.length);
    for (const { key, op } of operations) {
      expect(op['operationId'], key).to.be.a('string');
      for (const tag of (op['tags'] as string[] | undefined) ?? [])
        expect(tags.has(tag), `${key}: tag ${tag}`).to.equal(true);
      const responses = Object.entries((op['responses'] as Json | undefined) ?? {});
      expect(
        responses.some(([status]) => /^[23]\d\d$/.test(status)),
        `${key}: a success response`,
      ).to.equal(true);
      for (const [status, response] of responses)
        expect(deref(response as Json)['description'], `${key} ${status}: description`).to.be.a('string');
    }
  });

  it('resolves every $ref', () => {
    const refs: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node !== null && typeof node === 'object')
        for (const [k, v] of Object.entries(node))
          k === '$ref' && typeof v === 'string' ? refs.push(v) : walk(v);
    };
    walk(doc);
    expect(refs.length).to.be.greaterThan(20);
    expect(refs.filter((r) => !r.startsWith('#/') || resolve(r) === undefined)).to.deep.equal([]);
  });

  it('declares each path template parameter as a required path parameter, and no other', () => {
    for (const { key, path, op } of operations) {
      const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = ((op['parameters'] as Json[] | undefined) ?? [])
        .map((p) => deref(p))
        .filter((p) => p['in'] === 'path');
      expect(declared.map((p) => p['name']).sort(), key).to.deep.equal(inPath);
      for (const p of declared) expect(p['required'], `${key}: ${String(p['name'])}`).to.equal(true);
    }
  });

  it('needs the bearer token exactly on /v1, and names only declared security schemes', () => {
    const schemes = new Set(Object.keys(doc.components.securitySchemes));
    for (const requirement of doc.security ?? [])
      for (const name of Object.keys(requirement)) expect(schemes.has(name)).to.equal(true);
    for (const { key, path, op } of operations) {
      const security = (op['security'] as Json[] | undefined) ?? doc.security ?? [];
      expect(
        security.length > 0,
        `${key}: ${path.startsWith('/v1/') ? 'needs' : 'needs no'} a token`,
      ).to.equal(path.startsWith('/v1/'));
    }
  });

  it('has schemas that compile as JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema({ ...doc, $id: 'openapi.yaml' });
    for (const name of Object.keys(doc.components.schemas))
      expect(() => ajv.getSchema(`openapi.yaml#/components/schemas/${name}`), name).to.not.throw();
  });

  it('uses the validators’ own request schemas (manifest and registry bodies)', () => {
    const validators: Record<string, unknown> = {
      Manifest: ManifestSchema,
      ExporterBody,
      PartnerBody,
      EndpointBody,
      FilingBody,
      SelfAssessmentBody,
      AttestationBody,
      RevocationBody,
      WebhookBody,
    };
    for (const [name, schema] of Object.entries(validators))
      expect(doc.components.schemas[name], name).to.deep.equal(normalize(JSON.parse(JSON.stringify(schema))));
  });

  it('describes what the gateway really answers', async () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema({ ...doc, $id: 'openapi.yaml' });
    const check = async (method: string, path: string, template: string, init: RequestInit = {}) => {
      const response = await fetch(`${harness.url}${path}`, { method, ...init });
      const operation = doc.paths[template]?.[method.toLowerCase()];
      const responses = (operation?.['responses'] ?? {}) as Json;
      const documented = responses[String(response.status)];
      expect(
        documented,
        `${method} ${path} answered ${response.status}, which is not documented`,
      ).to.not.equal(undefined);
      const content = deref(documented as Json)['content'] as Record<string, { schema: unknown }> | undefined;
      if (content?.['application/json'] === undefined) return;
      // A shared response (components/responses) is a $ref; point into it, else into the operation.
      const ref = (documented as { $ref?: string }).$ref;
      const at =
        ref?.slice(1) ??
        `/paths/${template.replace(/\//g, '~1')}/${method.toLowerCase()}/responses/${response.status}`;
      const validate = ajv.compile({ $ref: `openapi.yaml#${at}/content/application~1json/schema` });
      const body: unknown = await response.json();
      expect(validate(body), `${method} ${path}: ${JSON.stringify(validate.errors)}`).to.equal(true);
    };
    const auth = (token: string, body?: unknown): RequestInit => ({
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const admin = await harness.token('admin');
    const ops = await harness.token('ops');
    const uscc = '91450100MA5KDEM11G';
    await check('GET', '/healthz', '/healthz');
    await check('GET', '/readyz', '/readyz');
    await check('GET', '/v1/me', '/v1/me', auth(admin));
    await check('GET', '/v1/me', '/v1/me');
    await check(
      'PUT',
      `/v1/exporters/${uscc}`,
      '/v1/exporters/{id}',
      auth(admin, { name: 'OpenAPI Co', ciio: false, ftzArea: null }),
    );
    await check('GET', `/v1/exporters/${uscc}`, '/v1/exporters/{id}', auth(admin));
    await check(
      'PUT',
      '/v1/partners/p-openapi',
      '/v1/partners/{id}',
      auth(admin, { name: 'P', country: 'SG', role: 'processor' }),
    );
    await check(
      'PUT',
      '/v1/partners/p-openapi',
      '/v1/partners/{id}',
      auth(admin, { name: 'P', country: 'XX', role: 'processor' }),
    );
    await check('GET', '/v1/partners/nobody', '/v1/partners/{id}', auth(admin));
    await check('GET', '/v1/transfers', '/v1/transfers', auth(admin));
    await check('GET', '/v1/ops/queues', '/v1/ops/queues', auth(ops));
    await check('GET', '/v1/filings', '/v1/filings', auth(admin));
    await check('GET', '/v1/filings?expiring=true', '/v1/filings', auth(admin));
    await check('GET', '/v1/webhooks', '/v1/webhooks', auth(admin));
    await check(
      'PUT',
      '/v1/webhooks/wh-openapi',
      '/v1/webhooks/{id}',
      auth(admin, { url: 'https://10.0.0.1/hook', events: ['transfer.held'] }),
    );
    await check('GET', '/v1/webhooks/nobody/deliveries', '/v1/webhooks/{id}/deliveries', auth(admin));
    await check('GET', '/v1/incidents', '/v1/incidents', auth(ops));
    await check('GET', '/v1/incidents/nobody', '/v1/incidents/{id}', auth(ops));
    await check('GET', `/v1/exporters/${uscc}/volume`, '/v1/exporters/{id}/volume', auth(admin));
    await check('GET', '/v1/ledger/proof?index=0', '/v1/ledger/proof', auth(admin));
    await check('GET', '/v1/ledger/consistency?from=0', '/v1/ledger/consistency', auth(admin));
  });
});
