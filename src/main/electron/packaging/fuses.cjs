/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS hooks loaded by electron-builder */
// Electron fuses for SsprLogon.exe (security.md §3.1, engineering-anchors.md §2.2), flipped after
// packaging. electron-builder 24.13.3 has no `electronFuses` option (added in 25), so an afterPack hook
// does it with @electron/fuses (a devDependency). Without it a release package FAILS instead of silently
// shipping an unfused binary. The hook reads them back (verifyFuses), and scripts/package.mjs reads them
// again after writing the version resources, before signing. By hand:
// `npx @electron/fuses read --app "<dir>\SsprLogon.exe"`.
'use strict';

/** Fuses present in Electron 22 (fuse wire v1, indices 0–5), by profile. */
const FUSE_PROFILES = {
  release: {
    RunAsNode: false,
    EnableCookieEncryption: true,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: false,
    // Windows ASAR integrity needs Electron >= 30; in 22 this fuse only acts on macOS (security.md §0.3).
    EnableEmbeddedAsarIntegrityValidation: true,
    OnlyLoadAppFromAsar: true,
  },
  // Playwright's _electron.launch drives the app through --inspect: only the test build keeps it on.
  test: {
    RunAsNode: false,
    EnableCookieEncryption: true,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: true,
    EnableEmbeddedAsarIntegrityValidation: true,
    OnlyLoadAppFromAsar: true,
  },
};

const loadFuses = () => {
  try {
    return require('@electron/fuses');
  } catch {
    return null;
  }
};

const requireFuses = () => {
  const fuses = loadFuses();
  if (!fuses) {
    throw new Error('@electron/fuses is not installed: refusing to package SsprLogon.exe without its fuses (see src/main/electron/packaging/fuses.cjs)');
  }
  return fuses;
};

// Each fuse is one ASCII byte on the wire, '1' or '0' ('r' once removed); @electron/fuses' index does not
// export its FuseState enum, so the two values are spelled here.
const WIRE_ENABLED = '1'.charCodeAt(0);
const WIRE_DISABLED = '0'.charCodeAt(0);

/** The fuse wire of an Electron executable as { FuseName: true | false | 'removed' }. */
const readFuses = async (exe) => {
  const { getCurrentFuseWire, FuseV1Options } = requireFuses();
  const wire = await getCurrentFuseWire(exe);
  const result = {};
  for (const name of Object.keys(FUSE_PROFILES.release)) {
    const state = wire[FuseV1Options[name]];
    result[name] = state === WIRE_ENABLED ? true : state === WIRE_DISABLED ? false : 'removed';
  }
  return result;
};

/**
 * Reads the fuses back and throws, naming every fuse that differs from the profile. flipFuses only writes
 * bytes; this is what proves the executable that gets signed is the one we meant to ship.
 */
const verifyFuses = async (exe, profile) => {
  const wanted = FUSE_PROFILES[profile];
  if (!wanted) throw new Error(`unknown fuse profile ${profile}`);
  const actual = await readFuses(exe);
  const wrong = Object.entries(wanted)
    .filter(([name, value]) => actual[name] !== value)
    .map(([name, value]) => `${name} is ${actual[name]}, must be ${value}`);
  if (wrong.length > 0) throw new Error(`${exe}: fuses do not match the ${profile} profile: ${wrong.join('; ')}`);
  return actual;
};

/** Where electron-builder put the executable: Windows names it after appInfo.productFilename (executableName). */
const executablePath = (context) => {
  const name = context.packager.appInfo?.productFilename ?? context.packager.executableName;
  if (!name) throw new Error('afterPack: cannot tell the executable name from the packager');
  return require('node:path').join(context.appOutDir, `${name}.exe`);
};

/** The afterPack hook body; `profile` is 'release' or 'test'. Flips, then reads back: a wrong fuse fails the package. */
const flipFusesAfterPack = async (context, profile) => {
  const wanted = FUSE_PROFILES[profile];
  if (!wanted) throw new Error(`unknown fuse profile ${profile}`);
  if (context.electronPlatformName !== 'win32') return;
  const { flipFuses, FuseVersion, FuseV1Options } = requireFuses();
  const exe = executablePath(context);
  const config = { version: FuseVersion.V1 };
  for (const [name, value] of Object.entries(wanted)) config[FuseV1Options[name]] = value;
  await flipFuses(exe, config);
  await verifyFuses(exe, profile);
};

module.exports = { FUSE_PROFILES, flipFusesAfterPack, readFuses, verifyFuses };
