/**
 * The emulator's own JWTs (native-auth token sets, Graph access tokens): RS256 with the emulator's server key,
 * shaped like Entra's and trusted by nobody else. Graph checks the ones it receives with `verify`.
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export const EMULATOR_KID = 'sspr-logon-emulator';

export interface JwtParts {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Splits a compact JWT without trusting it; undefined when it is not three base64url JSON parts. */
export function decodeJwt(token: string): JwtParts | undefined {
  const pieces = token.split('.');
  if (pieces.length !== 3 || token.length > 16_384) return undefined;
  try {
    const header = JSON.parse(Buffer.from(pieces[0]!, 'base64url').toString('utf8')) as unknown;
    const payload = JSON.parse(Buffer.from(pieces[1]!, 'base64url').toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null || typeof payload !== 'object' || payload === null) return undefined;
    return {
      header: header as Record<string, unknown>,
      payload: payload as Record<string, unknown>,
      signingInput: `${pieces[0]}.${pieces[1]}`,
      signature: Buffer.from(pieces[2]!, 'base64url'),
    };
  } catch {
    return undefined;
  }
}

export interface JwtKeys {
  sign(payload: Record<string, unknown>): string;
  /** The payload when the token carries our signature, else undefined. Claims are the caller's to check. */
  verify(token: string): Record<string, unknown> | undefined;
}

export function createJwtKeys(keyPem: string, certPem: string): JwtKeys {
  const publicKey: KeyObject = createPublicKey(certPem);
  return {
    sign(payload) {
      const input = `${part({ typ: 'JWT', alg: 'RS256', kid: EMULATOR_KID })}.${part(payload)}`;
      return `${input}.${sign('sha256', Buffer.from(input), keyPem).toString('base64url')}`;
    },
    verify(token) {
      const jwt = decodeJwt(token);
      if (!jwt || jwt.header.alg !== 'RS256' || jwt.header.kid !== EMULATOR_KID) return undefined;
      return verify('sha256', Buffer.from(jwt.signingInput), publicKey, jwt.signature) ? jwt.payload : undefined;
    },
  };
}
