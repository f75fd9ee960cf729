// registry/registry-store on real Redis: each exporter's self-assessments are indexed, so the evidence check can
// find the PIPIA that goes with a named risk self-assessment (regulation.md §10.3 T4).
import { expect } from 'chai';
import { createRedis, type Redis } from '../../../platform/redis.js';
import type { SelfAssessmentBody } from '../../../registry/records.js';
import { createRegistryStore, type RegistryStore } from '../../../registry/registry-store.js';
import { startRedisServer, type TestRedis } from '../../support/redis-server.js';

const exporterA = '91450100MA5KDEM11G';
const exporterB = '91451400MA5PDEM13W';

function body(exporterId: string, kind: SelfAssessmentBody['kind']): SelfAssessmentBody {
  return {
    exporterId,
    kind,
    completedOn: '2026-05-20',
    reportSha256: 'a'.repeat(64),
    scope: { partnerIds: ['p'], dataCategories: ['order'], purposes: ['x'], businessTypes: ['supply_chain'] },
  };
}

describe('registry/registry-store self-assessments by exporter (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let registry: RegistryStore;

  before(async () => {
    server = await startRedisServer();
    redis = createRedis(server.url);
    registry = createRegistryStore(redis);
  });
  after(async () => {
    redis.disconnect();
    await server.stop();
  });

  it("lists one exporter's self-assessments, most recently updated first, and nobody else's", async () => {
    await registry.putSelfAssessment(
      'risk-a',
      body(exporterA, 'risk_self_assessment'),
      new Date('2026-06-01T00:00:00Z'),
    );
    await registry.putSelfAssessment('pipia-b', body(exporterB, 'pipia'), new Date('2026-06-02T00:00:00Z'));
    await registry.putSelfAssessment('pipia-a', body(exporterA, 'pipia'), new Date('2026-06-03T00:00:00Z'));
    expect((await registry.listSelfAssessments(exporterA)).map((r) => r.id)).to.deep.equal([
      'pipia-a',
      'risk-a',
    ]);
    expect((await registry.listSelfAssessments(exporterB)).map((r) => r.id)).to.deep.equal(['pipia-b']);
    expect(await registry.listSelfAssessments('91450300MA5N3X9B4Q')).to.deep.equal([]);
    // An upsert moves the record to the front and keeps one entry.
    await registry.putSelfAssessment(
      'risk-a',
      body(exporterA, 'risk_self_assessment'),
      new Date('2026-06-04T00:00:00Z'),
    );
    expect((await registry.listSelfAssessments(exporterA)).map((r) => r.id)).to.deep.equal([
      'risk-a',
      'pipia-a',
    ]);
  });
});
