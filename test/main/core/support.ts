/** Shared set-up for the core's tests: a running emulator, a client that trusts exactly its CA. */
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator/index';
import { createNativeEngine, type NativeEngineOptions } from '../../../src/main/core/engine/nativeEngine';
import type { NativeEngine } from '../../../src/main/core/engine/types';
import { createHttpClient } from '../../../src/main/core/http';

export interface EmulatorUnderTest {
  emu: RunningEmulator;
  /** One line per request the emulator answered (or dropped): method, path, outcome. */
  requests: string[];
  /** How many requests reached this endpoint ('start', 'submit', …). */
  count(endpoint: string): number;
}

export const startTestEmulator = async (opts: EmulatorOptions = {}): Promise<EmulatorUnderTest> => {
  const requests: string[] = [];
  // Tests run many flows a second: lift the per-IP rate and e-mail limits unless a test is about them.
  const policy = { requestsPerSecond: 10_000, maxEmailsPerWindow: 1000, ...opts.policy };
  const emu = await startEmulator({ ...opts, policy, log: (line) => requests.push(line) });
  return {
    emu,
    requests,
    count: (endpoint) => requests.filter((line) => line.includes(`/resetpassword/v1.0/${endpoint} ->`)).length,
  };
};

/** Polls without real waiting: the emulator counts polls, it does not time them. */
export const fastSleep = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const engineFor = (emu: RunningEmulator, overrides: Partial<NativeEngineOptions> & { timeoutMs?: number; ca?: string | null } = {}): NativeEngine => {
  const { timeoutMs, ca, ...rest } = overrides;
  const http = createHttpClient({ timeoutMs: timeoutMs ?? 20_000, ...(ca === null ? {} : { ca: ca ?? emu.caPem }) });
  return createNativeEngine({ authority: emu.authority, clientId: emu.clientId, http, clientVersion: 'test', sleep: fastSleep, ...rest });
};

export const ALICE = 'alice@contoso.com';
export const NEW_PASSWORD = 'Tidal-Meadow-2931';
