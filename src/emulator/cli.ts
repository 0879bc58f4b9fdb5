/**
 * `npm run emulator -- --port <p> --ca-out <file> [--verbose]`: runs the emulator until SIGINT/SIGTERM.
 * Also bundled to dist/emulator/cli.cjs for Node 16.17.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEMO_USERS, startEmulator } from './index';

const USAGE = `Usage: emulator [--port <0-65535>] [--ca-out <file>] [--tenant <name>] [--approve-device-codes-after <s>] [--verbose]

Runs the Entra native-auth SSPR v1 emulator on https://127.0.0.1:<port> (default: a free port).
  --port <n>       TCP port on 127.0.0.1; 0 picks a free one
  --ca-out <file>  write the PEM of the emulator's CA (trust exactly this in clients)
  --tenant <name>  tenant segment of the authority (default contoso.onmicrosoft.com)
  --approve-device-codes-after <s>
                   device codes approve themselves as the helpdesk technician after <s> seconds
                   (default: only when POSTed to /devicelogin)
  --verbose        print one line per request (never a body, code or password)
  --help           show this text`;

function fail(message: string): never {
  process.stderr.write(`emulator: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  let values: { port?: string; 'ca-out'?: string; tenant?: string; 'approve-device-codes-after'?: string; verbose?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        port: { type: 'string' },
        'ca-out': { type: 'string' },
        tenant: { type: 'string' },
        'approve-device-codes-after': { type: 'string' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let port = 0;
  if (values.port !== undefined) {
    if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) fail(`--port must be a number from 0 to 65535, not '${values.port}'`);
    port = Number(values.port);
  }
  if (values['ca-out'] !== undefined && values['ca-out'].trim() === '') fail('--ca-out needs a file name');
  const approveAfter = values['approve-device-codes-after'];
  if (approveAfter !== undefined && (!/^\d{1,4}$/.test(approveAfter) || Number(approveAfter) > 3600)) {
    fail(`--approve-device-codes-after takes seconds from 0 to 3600, not '${approveAfter}'`);
  }

  let emulator;
  try {
    emulator = await startEmulator({
      port,
      ...(values.tenant ? { tenant: values.tenant } : {}),
      ...(approveAfter !== undefined ? { helpdesk: { autoApproveDeviceCodesAfterMs: Number(approveAfter) * 1000 } } : {}),
      ...(values.verbose ? { log: (line: string) => process.stdout.write(`${line}\n`) } : {}),
    });
  } catch (err) {
    process.stderr.write(`emulator: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  if (values['ca-out']) {
    try {
      writeFileSync(values['ca-out'], emulator.caPem);
    } catch (err) {
      await emulator.close();
      process.stderr.write(`emulator: cannot write the CA to ${values['ca-out']}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    }
  }
  const lines = [
    `SSPR emulator listening on ${emulator.baseUrl}`,
    `authority: ${emulator.authority}`,
    `tenant:    ${emulator.tenant}`,
    `client id: ${emulator.clientId}`,
    values['ca-out'] ? `CA:        ${values['ca-out']}` : 'CA:        (not written; pass --ca-out <file>)',
    `outbox:    ${emulator.baseUrl}/outbox   audit: ${emulator.baseUrl}/audit`,
    `graph:     ${emulator.graphBaseUrl}  (GET /v1.0/auditLogs/directoryAudits)`,
    `helpdesk app client id: ${emulator.helpdesk.clientId}`,
    `helpdesk app secret:    ${emulator.helpdesk.clientSecret}`,
    `device login: POST user_code=<code> to ${emulator.baseUrl}/devicelogin (approves as ${emulator.helpdesk.technician.username})`,
    'demo users:',
    ...DEMO_USERS.map((u) => `  ${u.username.padEnd(24)} ${u.password.padEnd(18)} ${u.kind.padEnd(21)} ${u.note}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const stop = (signal: string) => {
    process.stdout.write(`emulator: ${signal}, stopping\n`);
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

void main();
