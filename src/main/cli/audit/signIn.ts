/**
 * Sign-in with @azure/msal-node: client credentials (secret or certificate) for a scheduled job, device code
 * for a technician. msal talks only to the given authority: `knownAuthorities` names its host, so msal takes
 * the cloud-instance data from it instead of asking login.microsoftonline.com's instance discovery, and it
 * reads the endpoints from the authority's own OpenID configuration.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import {
  AuthError,
  ConfidentialClientApplication,
  LogLevel,
  PublicClientApplication,
  ServerError,
  type Configuration,
} from '@azure/msal-node';
import type { AxiosInstance } from 'axios';
import { MsalNetworkClient, NotJsonError } from './network';
import { SECRET_ENV, type AuditOptions } from './options';
import { describeNetworkError } from './problems';

/** Why sign-in failed, in words for the technician; `unreachable` picks exit code 30. */
export class SignInError extends Error {
  constructor(
    message: string,
    readonly unreachable = false,
  ) {
    super(message);
  }
}

/**
 * Graph's permissions as the admin consented them (`<resource>/.default`), for both sign-ins: a technician's
 * token then carries AuditLog.Read.All and Directory.Read.All without asking anyone to consent at the prompt.
 */
export const graphScopes = (graph: string): string[] => [`${new URL(graph).origin}/.default`];

const msalConfig = (o: AuditOptions, network: MsalNetworkClient, auth: Partial<Configuration['auth']>): Configuration => ({
  auth: { clientId: o.clientId, authority: o.authority, knownAuthorities: [new URL(o.authority).host], ...auth },
  system: {
    networkClient: network,
    // msal's own log would print URLs and ids; only errors, with PII off.
    loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => undefined },
  },
});

/** Entra's own words from msal's "Error(s): … - Description: AADSTSnnn: text - Trace ID: …" message. */
const entraText = (message: string): { aadsts?: string; text: string } => {
  const m = /(AADSTS\d+):\s*(.*?)(?:\s+-\s+(?:Trace ID|Correlation ID|Timestamp):|\r|\n|$)/.exec(message);
  return m ? { aadsts: m[1]!, text: m[2]!.slice(0, 300) } : { text: message.split(/\r?\n/)[0]!.slice(0, 300) };
};

const hints = (o: AuditOptions): Record<string, string> => ({
  invalid_client: o.signIn.kind === 'certificate' ? 'upload this certificate to the app registration, or check --client-id' : `check the client secret (--client-secret or ${SECRET_ENV})`,
  unauthorized_client: 'check --client-id and the tenant in --authority; device code needs "Allow public client flows" on the app',
  invalid_resource: 'check --graph',
  invalid_scope: 'check --graph',
  expired_token: 'the code was not entered in time; run the command again',
  authorization_declined: 'the sign-in was declined',
});

const explain = (err: unknown, network: MsalNetworkClient, o: AuditOptions): SignInError => {
  const host = new URL(o.authority).host;
  if (err instanceof ServerError) {
    const { aadsts, text } = entraText(err.errorMessage);
    const tip = hints(o)[err.errorCode];
    return new SignInError(`sign-in refused by ${host}: ${err.errorCode}${aadsts ? ` ${aadsts}` : ''}: ${text}${tip ? ` (${tip})` : ''}`);
  }
  // msal reports a refused device-code poll only by its error string, at the end of a generic message.
  if (err instanceof AuthError && err.errorCode === 'post_request_failed') {
    const code = /([a-z_]+)\s*$/.exec(err.errorMessage)?.[1] ?? 'error';
    const tip = hints(o)[code];
    return new SignInError(`sign-in refused by ${host}: ${code}${tip ? ` (${tip})` : ''}`);
  }
  const cause = network.lastError;
  if (cause instanceof NotJsonError) return new SignInError(`sign-in failed: ${cause.message}`, true);
  if (cause !== undefined) return new SignInError(`cannot reach ${host}: ${describeNetworkError(cause)}`, true);
  if (err instanceof AuthError) return new SignInError(`sign-in failed: ${err.errorCode}: ${entraText(err.errorMessage).text}`);
  return new SignInError(`sign-in failed: ${err instanceof Error ? err.message : String(err)}`);
};

/** Signs in as configured and returns a Graph access token. `onDeviceCode` shows the technician what to do. */
export async function acquireGraphToken(o: AuditOptions, http: AxiosInstance, onDeviceCode: (message: string) => void): Promise<string> {
  const network = new MsalNetworkClient(http);
  try {
    if (o.signIn.kind === 'device-code') {
      const app = new PublicClientApplication(msalConfig(o, network, {}));
      const result = await app.acquireTokenByDeviceCode({
        scopes: graphScopes(o.graph),
        deviceCodeCallback: (response) => onDeviceCode(response.message),
      });
      if (!result) throw new SignInError('sign-in returned no token');
      return result.accessToken;
    }
    const credential =
      o.signIn.kind === 'secret'
        ? { clientSecret: o.signIn.secret }
        : {
            clientCertificate: {
              thumbprintSha256: new X509Certificate(o.signIn.certPem).fingerprint256.replace(/:/g, ''),
              // msal signs with a PKCS#8 PEM key; accept PKCS#1 files too.
              privateKey: createPrivateKey(o.signIn.privateKeyPem).export({ type: 'pkcs8', format: 'pem' }).toString(),
              x5c: o.signIn.certPem,
            },
          };
    const app = new ConfidentialClientApplication(msalConfig(o, network, credential));
    const result = await app.acquireTokenByClientCredential({ scopes: graphScopes(o.graph) });
    if (!result) throw new SignInError('sign-in returned no token');
    return result.accessToken;
  } catch (err) {
    if (err instanceof SignInError) throw err;
    throw explain(err, network, o);
  }
}
