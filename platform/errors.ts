// platform/errors: the one catalogue of error codes and their HTTP statuses (api.md §4). Messages are for
// people, codes for machines. Messages must never carry personal data: they are templates filled with ids only.

export const errorCatalogue = {
  BAD_REQUEST: { status: 400, message: 'The request is malformed' },
  BAD_MANIFEST: { status: 400, message: 'The manifest is not valid' },
  BAD_BODY: { status: 400, message: 'The request body is not valid' },
  BAD_QUERY: { status: 400, message: 'The query string is not valid' },
  BAD_MULTIPART: { status: 400, message: 'The multipart body is not valid' },
  PAYLOAD_NOT_MINIMISABLE: {
    status: 400,
    message: "The payload cannot be read as the manifest's minimisation plan says; nothing was stored",
  },
  ENDPOINT_NOT_ALLOWED: {
    status: 400,
    message: 'The URL does not resolve to a public address or one of XBORDER_ENDPOINT_ALLOWED_NETS',
  },
  UNAUTHENTICATED: { status: 401, message: 'A valid bearer token is required' },
  FORBIDDEN: { status: 403, message: 'Your role may not do this' },
  NOT_FOUND: { status: 404, message: 'No such resource' },
  REQUEST_TIMEOUT: { status: 408, message: 'The upload stalled or was too slow and was cut off' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state' },
  INVALID_STATE: { status: 409, message: 'The resource is not in a state that allows this' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: 'This Idempotency-Key was used with a different manifest' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The payload is larger than the configured limit' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The content type is not supported here' },
  EVIDENCE_INVALID: { status: 422, message: 'The evidence does not verify' },
  UNKNOWN_REFERENCE: { status: 422, message: 'The body refers to a record that does not exist' },
  INTERNAL: { status: 500, message: 'An internal error occurred' },
  ARCHIVE_UNAVAILABLE: {
    status: 503,
    message: 'The archive (PostgreSQL, XBORDER_DATABASE_URL) is not configured or does not answer',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** One invalid field: a JSON Pointer (RFC 6901) into the input and what is wrong with it. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** A reason code with its rule citation, as carried by 422 evidence errors and decisions. */
export interface ReasonDetail {
  readonly code: string;
  readonly rule?: string;
  readonly message: string;
}

export type ErrorDetail = FieldIssue | ReasonDetail;

/** An error that the HTTP layer turns into its catalogued status. Thrown only at the edges (routes). */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message ?? errorCatalogue[code].message);
    this.name = 'AppError';
    this.status = errorCatalogue[code].status;
  }
}
