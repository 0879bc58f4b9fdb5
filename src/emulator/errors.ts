/**
 * Entra's error envelope (sspr-protocol.md §1.1): HTTP 400 with error, error_description
 * "AADSTSnnnn: text\r\nTrace ID: …\r\nCorrelation ID: …\r\nTimestamp: …", error_codes, timestamp, trace_id,
 * correlation_id and an optional suberror. Handlers throw ApiError; the server renders it.
 */
import { randomUUID } from 'node:crypto';
import { entraTimestamp } from './clock';

export class ApiError extends Error {
  constructor(
    readonly error: string,
    readonly code: number,
    readonly text: string,
    readonly options: { suberror?: string; status?: number; headers?: Record<string, string>; extra?: Record<string, unknown> } = {},
  ) {
    super(`${error}: AADSTS${code}: ${text}`);
  }
}

export interface ErrorEnvelope {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  suberror?: string;
  [extra: string]: unknown;
}

export function errorEnvelope(err: ApiError, correlationId: string, nowMs: number): ErrorEnvelope {
  const traceId = randomUUID();
  const timestamp = entraTimestamp(nowMs);
  const body: ErrorEnvelope = {
    error: err.error,
    error_description: `AADSTS${err.code}: ${err.text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [err.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
  };
  if (err.options.suberror) body.suberror = err.options.suberror;
  return { ...body, ...err.options.extra };
}

/**
 * AADSTS numbers. Those marked "doc" appear in Microsoft's native-auth or error-code documentation; the
 * others are emulator conventions for cases the docs leave open (listed in docs/emulator.md).
 */
export const AADSTS = {
  missingParameter: 900144, // doc: "The request body must contain the following parameter"
  postOnly: 900561, // doc: endpoint only accepts POST
  tenantNotFound: 90002, // doc: tenant not found
  invalidUsername: 90100, // doc (MSAL-JS): "username parameter is empty or not valid"
  malformedClientId: 700038, // doc: not a valid application identifier
  unknownClient: 700016, // doc: application not found in the directory
  nativeAuthDisabled: 500208, // convention
  challengeTypeWithoutRedirect: 901007, // doc
  unknownChallengeType: 901007, // doc shows 901007 with invalid_request too
  userNotFound: 50034, // doc: the user account does not exist in the directory
  userLocked: 50053, // convention (Entra's "account is locked" number)
  ssprNotEnabled: 50057, // convention (Entra's "user account is disabled" number)
  registrationRequired: 50079, // convention (Entra's "user must enroll" number)
  invalidToken: 55200, // doc
  expiredToken: 552003, // doc
  invalidGrantType: 70000, // convention (Entra's generic invalid grant)
  wrongCode: 50181, // convention
  expiredCode: 50182, // convention
  passwordPolicy: 399246, // doc ("New password is too weak"); used for every password suberror
  unsupportedGrantType: 70003, // doc
  invalidScope: 70011, // doc
  throttled: 90055, // convention (Entra's "too many incoming requests")
  serverError: 90033, // convention (fault injection)
} as const;
