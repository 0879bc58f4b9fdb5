/**
 * The product version, from package.json (the one place it is set): esbuild keeps only this field of the
 * JSON in the bundles, so SsprLogon.exe, the DLL, the MSI and the Event Log all name the same version.
 */
import { version } from '../../../package.json';

export const PRODUCT_VERSION: string = version;
