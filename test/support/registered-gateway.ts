// test/support/registered-gateway: a client on a started deployment's gateway with one route registered (its
// exporter, one partner with one endpoint on the reference receiver, a signed attestation, a self-assessment and
// any filings) — the setup the e2e pipeline tests share. It must not start processes: the test starts the roles.
import { createGatewayClient, type GatewayClient } from './gateway-client.js';
import { signPartnerAttestation } from './partner-attestation.js';
import { setUpRegistry } from './registry-setup.js';
import type { TestDeployment } from './test-deployment.js';

export interface RegisteredRoute {
  readonly exporter: string;
  readonly partner: string;
  readonly endpoint: string;
  readonly purpose: string;
  /** The attestation's `jti` (its id in a contract manifest). */
  readonly attestationId: string;
  readonly selfAssessmentId: string;
  /** Standard-contract filings by id, as `setUpRegistry` takes them; none unless given. */
  readonly filings?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export async function registeredGateway<T>(
  deployment: TestDeployment,
  route: RegisteredRoute,
): Promise<GatewayClient<T>> {
  const { exporter, partner, endpoint, purpose } = route;
  const gw = createGatewayClient<T>({
    baseUrl: deployment.gatewayUrl,
    dataDir: deployment.dataDir,
    output: deployment.output,
  });
  await setUpRegistry(gw, {
    exporter,
    purpose,
    otherExporters: [],
    partners: [{ id: partner, endpoint }],
    endpointUrl: `https://localhost:${deployment.ports.receiver}`,
    attestations: [
      await signPartnerAttestation({
        dataDir: deployment.dataDir,
        partner,
        exporter,
        endpoints: [endpoint],
        purpose,
        jti: route.attestationId,
      }),
    ],
    selfAssessmentId: route.selfAssessmentId,
    filings: route.filings ?? {},
  });
  return gw;
}
