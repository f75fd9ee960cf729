// registry/archive/assemble-filing-pack: the facts a filing needs (api.md §10; SCC filing, Measures 2023 art. 7;
// certification, Order 20; assessment, Measures 2022 art. 6) assembled from archive rows, each fact naming the
// transfers and ledger entries it comes from so a reviewer can check it. Pure: no I/O, no clock.
import type { FilingKind } from '../records.js';

/** One transfer of the exporter under the filing's route, as the archive holds it. */
export interface FilingPackTransfer {
  readonly transferId: string;
  /** The transfer.submitted entry: partner, country, categories and business type come from it. */
  readonly submittedIndex: number;
  readonly partnerId: string | null;
  readonly destinationCountry: string | null;
  readonly dataCategories: readonly string[];
  readonly businessType: string;
  /** released: released this year; held: held now for want of a filing (R-EVID-FILING-MISSING). */
  readonly state: 'released' | 'held';
  /** People this transfer added to its exporter's year (volume.committed rises); 0 when held or not yet counted. */
  readonly individuals: number;
  readonly sensitiveIndividuals: number;
  /** The volume.committed entries the counts come from. */
  readonly volumeIndexes: readonly number[];
  /** As declared in the manifest: the only volume a held transfer has (not distinct, an upper bound). */
  readonly declaredIndividuals: number | null;
  readonly declaredSensitive: number | null;
}

/** A recipient's attestation (registry.attestation): where and how long it says it keeps the data. */
export interface FilingPackAttestation {
  readonly attestationId: string;
  readonly ledgerIndex: number;
  readonly partnerId: string;
  readonly storageCountry: string | null;
  readonly retentionDays: number | null;
  readonly expiresAt: string | null;
}

export interface FilingPackInput {
  readonly exporterId: string;
  readonly kind: FilingKind;
  readonly year: number;
  /** No filing of this kind was ever registered for the exporter: held transfers are part of the pack. */
  readonly firstFiling: boolean;
  readonly transfers: readonly FilingPackTransfer[];
  readonly attestations: readonly FilingPackAttestation[];
}

export interface Sources {
  readonly transferIds: readonly string[];
  readonly ledgerIndexes: readonly number[];
}

export interface FilingPack {
  readonly exporterId: string;
  readonly kind: FilingKind;
  readonly year: number;
  readonly firstFiling: boolean;
  readonly transfers: { readonly released: number; readonly held: number };
  readonly recipients: readonly ({
    readonly partnerId: string;
    readonly countries: readonly string[];
  } & Sources)[];
  readonly countries: readonly ({ readonly country: string } & Sources)[];
  readonly dataCategories: readonly ({ readonly category: string } & Sources)[];
  readonly businessTypes: readonly ({ readonly businessType: string } & Sources)[];
  readonly purposes: { readonly recorded: false; readonly note: string };
  readonly volumes: {
    readonly released: { readonly individuals: number; readonly sensitiveIndividuals: number } & Sources;
    readonly held: { readonly declaredIndividuals: number; readonly declaredSensitive: number } & Sources;
  };
  readonly storage: readonly {
    readonly partnerId: string;
    readonly storageCountry: string | null;
    readonly retentionDays: number | null;
    readonly expiresAt: string | null;
    readonly attestationId: string;
    readonly ledgerIndex: number;
  }[];
  /** Recipients in the pack with no attestation registered: their storage and retention are unknown here. */
  readonly storageUnknownFor: readonly string[];
}

const purposeNote =
  'Purposes are manifest free text and never enter the ledger or the archive (api.md §8); take them from the ' +
  "registered filing's purposes or the manifests themselves. businessTypes lists the coded business types.";

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function sourcesOf(
  transfers: readonly FilingPackTransfer[],
  indexes: (t: FilingPackTransfer) => readonly number[],
): Sources {
  return {
    transferIds: [...new Set(transfers.map((t) => t.transferId))].sort(byText),
    ledgerIndexes: [...new Set(transfers.flatMap(indexes))].sort((a, b) => a - b),
  };
}

function groupBy(
  transfers: readonly FilingPackTransfer[],
  keys: (t: FilingPackTransfer) => readonly string[],
) {
  const groups = new Map<string, FilingPackTransfer[]>();
  for (const t of transfers)
    for (const key of new Set(keys(t))) groups.set(key, [...(groups.get(key) ?? []), t]);
  return [...groups.entries()].sort(([a], [b]) => byText(a, b));
}

const submitted = (t: FilingPackTransfer) => [t.submittedIndex];

export function assembleFilingPack(input: FilingPackInput): FilingPack {
  // A later filing covers what is released under the route; held transfers matter only to a first filing.
  const transfers = input.transfers.filter((t) => t.state === 'released' || input.firstFiling);
  const released = transfers.filter((t) => t.state === 'released');
  const held = transfers.filter((t) => t.state === 'held');
  const known = (value: string | null) => (value === null ? [] : [value]);
  const recipients = groupBy(transfers, (t) => known(t.partnerId)).map(([partnerId, group]) => ({
    partnerId,
    countries: [...new Set(group.flatMap((t) => known(t.destinationCountry)))].sort(byText),
    ...sourcesOf(group, submitted),
  }));
  const partners = new Set(recipients.map((r) => r.partnerId));
  const storage = input.attestations
    .filter((a) => partners.has(a.partnerId))
    .map((a) => ({
      partnerId: a.partnerId,
      storageCountry: a.storageCountry,
      retentionDays: a.retentionDays,
      expiresAt: a.expiresAt,
      attestationId: a.attestationId,
      ledgerIndex: a.ledgerIndex,
    }))
    .sort((a, b) => byText(a.partnerId, b.partnerId) || a.ledgerIndex - b.ledgerIndex);
  const attested = new Set(storage.map((s) => s.partnerId));
  const sum = (group: readonly FilingPackTransfer[], value: (t: FilingPackTransfer) => number | null) =>
    group.reduce((total, t) => total + (value(t) ?? 0), 0);
  return {
    exporterId: input.exporterId,
    kind: input.kind,
    year: input.year,
    firstFiling: input.firstFiling,
    transfers: { released: released.length, held: held.length },
    recipients,
    countries: groupBy(transfers, (t) => known(t.destinationCountry)).map(([country, group]) => ({
      country,
      ...sourcesOf(group, submitted),
    })),
    dataCategories: groupBy(transfers, (t) => t.dataCategories).map(([category, group]) => ({
      category,
      ...sourcesOf(group, submitted),
    })),
    businessTypes: groupBy(transfers, (t) => [t.businessType]).map(([businessType, group]) => ({
      businessType,
      ...sourcesOf(group, submitted),
    })),
    purposes: { recorded: false, note: purposeNote },
    volumes: {
      released: {
        individuals: sum(released, (t) => t.individuals),
        sensitiveIndividuals: sum(released, (t) => t.sensitiveIndividuals),
        ...sourcesOf(released, (t) => t.volumeIndexes),
      },
      held: {
        declaredIndividuals: sum(held, (t) => t.declaredIndividuals),
        declaredSensitive: sum(held, (t) => t.declaredSensitive),
        ...sourcesOf(held, submitted),
      },
    },
    storage,
    storageUnknownFor: [...partners].filter((p) => !attested.has(p)).sort(byText),
  };
}
