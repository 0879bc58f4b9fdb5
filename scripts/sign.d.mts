export declare class SignError extends Error {}
export interface SigningConfig {
  kind: 'pfx' | 'pkcs11';
  credential: string[];
  secret: string | null;
  timestamp: { url: string | null; tsaCerts: string | null; tsaKey: string | null };
  verify: { caFile: string | null };
}
export declare const signingConfig: (env?: Record<string, string | undefined>) => SigningConfig | null;
export declare const signFile: (file: string, config: SigningConfig) => Promise<void>;
export declare const verifyFile: (file: string, options?: { caFile?: string | null; tsaCaFile?: string | null }) => { digests: string[]; verified: number; timestamped: number };
