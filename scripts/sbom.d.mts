export declare const ROOT: string;
export declare const SHIPPED_BUNDLES: string[];
export declare const ELECTRON_22_CHROMIUM: string;
export declare const ELECTRON_22_NODE: string;
export interface BundledPackage { path: string; name: string; version: string; license: string | null; integrity: string | null; bundles: string[] }
export interface Toolchain { triple: string; gcc: string; mingw: string; threads: string }
export declare const bundledPackages: (options?: { root?: string; distDir?: string; bundles?: string[] }) => BundledPackage[];
export declare const toolchain: (arch: string) => Toolchain;
export declare const buildSbom: (options: {
  arch: string;
  packages: BundledPackage[];
  runtime: { file: string; url: string; sha256: string } | null;
  tools: Toolchain;
  isSpdxId?: (id: string) => boolean;
  root?: string;
  now?: Date;
}) => Record<string, unknown>;
export declare const htmlToText: (html: string) => string;
export declare const buildNotices: (options: { packages: BundledPackage[]; tools: Toolchain; electronDir?: string | null; root?: string }) => string;
export declare const writeReleaseDocs: (options: {
  arch: string;
  stagedDir: string;
  sbomDir: string;
  electronDir?: string | null;
  runtime?: { file: string; url: string; sha256: string } | null;
  root?: string;
}) => Promise<{ sbomFile: string; noticesFile: string; packages: BundledPackage[] }>;
