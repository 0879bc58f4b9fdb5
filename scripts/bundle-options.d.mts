import type { BuildOptions } from 'esbuild';

export declare const mainBundleOptions: (entry: string, outfile: string) => BuildOptions;
export declare const rendererBuildOptions: (root: string, outdir: string) => BuildOptions;
export declare const firstScreenBuildOptions: (root: string, outfile: string) => BuildOptions;
export declare const catalogueScript: (code: string, json: string) => string;
export declare const commonPasswordWords: (root: string) => string[];
