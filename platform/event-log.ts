// platform/event-log: the port through which every room records an event in the transparency ledger
// (api.md §8). Events carry ids, codes and counts only; identifiers of people appear as keyed hashes.
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface AuditEvent {
  readonly type: string;
  /** Set for events a retry may append again: the ledger integrates one id once (idempotent). */
  readonly eventId?: string;
  readonly [field: string]: JsonValue;
}

export interface EventLog {
  /** Resolves once the event is durably in the ledger, with its index. */
  append(event: AuditEvent): Promise<{ readonly index: number }>;
}
