import type { SigningConfig } from './sign.mjs';

export declare const ROOT: string;
export interface ElectronRuntime { version: string; arch: string; file: string; sha256: string; url: string }
export declare class PackageError extends Error {}
export declare const electronVersion: () => string;
export declare const electronRuntime: (arch: string) => ElectronRuntime;
export declare const defaultZipPath: (arch: string) => string;
export declare const sha256File: (file: string) => Promise<string>;
export declare const downloadInstructions: (arch: string) => string;
export declare const verifyElectronZip: (zipPath: string, arch: string) => Promise<ElectronRuntime>;
export declare const unzipElectron: (zipPath: string, destination: string, version?: string) => Promise<string>;
export declare const versionStrings: (pkg?: { productName: string; version: string; license: string }) => Record<string, string>;
export declare const writeVersionResources: (exe: string, strings?: Record<string, string>) => void;
export declare const readVersionResources: (exe: string) => { fileVersion: string; productVersion: string; strings: Record<string, string> } | null;
export declare const runElectronBuilder: (options: { electronDir: string; arch: string; outDir: string }) => Promise<string>;
export declare const packageRuntime: (options: { electronDir: string; arch: string; outDir?: string; log?: (line: string) => void; signing?: SigningConfig | null }) => Promise<string>;
