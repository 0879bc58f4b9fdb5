/**
 * Two test tiers. `npm run test:unit`: plain Node in the test process (loopback sockets and the in-process
 * emulator are fine), seconds. `npm run test:integration`: the files below, everything that starts another
 * program (Chromium, wine, msiexec, the Node 16.17.1 binary, tsc, g++ or one of our command lines).
 * test/repo/tiers.test.ts keeps the unit tier free of them.
 */
export const INTEGRATION = [
  'test/e2e/**/*.test.ts',
  'test/installer/**/*.test.ts',
  'test/shim/**/*.test.ts',
  'test/repo/boundaries.test.ts',
  'test/**/cli.test.ts',
  'test/**/node16*.test.ts',
  'test/main/electron/portalChrome.test.ts',
  'test/main/electron/dialogs.chromium.test.ts',
  'test/main/electron/helpdesk.test.ts',
  'test/main/cli/audit.test.ts',
  'test/main/cli/report.test.ts',
  'test/emulator/graph.test.ts',
  'test/packaging/**/*.test.ts',
  'test/main/core/logging.test.ts',
  'test/scripts/screenshots.test.ts',
];
