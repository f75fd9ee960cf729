// gateway/principal: who is calling, as established from a verified bearer token (api.md §3).
export const roles = ['enterprise', 'reviewer', 'ops', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface Principal {
  readonly sub: string;
  readonly role: Role;
  /** The exporter's USCC; present exactly when role is `enterprise`. */
  readonly exporter?: string;
}

/** Verifies a bearer token; resolves null for any token that is missing, malformed, expired or untrusted. */
export type TokenVerifier = (token: string, now: Date) => Promise<Principal | null>;
