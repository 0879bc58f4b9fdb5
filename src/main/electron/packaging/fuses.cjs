/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS hooks loaded by electron-builder */
// Electron fuses for SsprLogon.exe (security.md §3.1, engineering-anchors.md §2.2), flipped after
// packaging. electron-builder 24.13.3 has no `electronFuses` option (added in 25), so an afterPack hook
// does it with @electron/fuses (a devDependency). Without it a release package FAILS instead of silently
// shipping an unfused binary. Verify with `npx @electron/fuses read --app "<dir>\SsprLogon.exe"` before signing.
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

/** The afterPack hook body; `profile` is 'release' or 'test'. */
const flipFusesAfterPack = async (context, profile) => {
  const wanted = FUSE_PROFILES[profile];
  if (!wanted) throw new Error(`unknown fuse profile ${profile}`);
  if (context.electronPlatformName !== 'win32') return;
  const fuses = loadFuses();
  if (!fuses) {
    throw new Error('@electron/fuses is not installed: refusing to package SsprLogon.exe without its fuses (see src/main/electron/packaging/fuses.cjs)');
  }
  const { flipFuses, FuseVersion, FuseV1Options } = fuses;
  const exe = require('node:path').join(context.appOutDir, `${context.packager.executableName}.exe`);
  const config = { version: FuseVersion.V1 };
  for (const [name, value] of Object.entries(wanted)) config[FuseV1Options[name]] = value;
  await flipFuses(exe, config);
};

module.exports = { FUSE_PROFILES, flipFusesAfterPack };
