/**
 * The portal engine's outcomes are logged as step records (src/shared/logRecord.ts), so `logs --level warn`
 * and `report` count a portal that could not be reached or refused the user, like a native failure.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { runOverlay } from '../../../src/main/electron/overlay';
import { MockBrowserView, resetElectronMock } from '../../mocks/electron';
import { startOverlay } from './helpers';

vi.mock('electron', () => import('../../mocks/electron'));

beforeEach(() => resetElectronMock());

const portalWebContents = () => {
  const v = MockBrowserView.instances[0];
  if (!v) throw new Error('no portal view');
  return v.webContents;
};

describe('portal outcome records', () => {
  it('an offline portal is a warn step record with the error code the user saw', async () => {
    const { logger } = await startOverlay(runOverlay, {});
    portalWebContents().fire('did-fail-load', -106, 'ERR_INTERNET_DISCONNECTED', 'https://passwordreset.microsoftonline.com/?mkt=en', true, 1, 1);
    const outcomes = logger.records.filter((r) => r.event === 'portal.outcome');
    expect(outcomes.at(-1)).toMatchObject({ level: 'warn', fields: { engine: 'portal', step: 'portal', outcome: 'error', errorCode: 'unreachable', reason: 'offline' } });
  });

  it('a recognised success page is an info step record with outcome success', async () => {
    const { logger } = await startOverlay(runOverlay, {});
    const wc = portalWebContents();
    wc.fire('did-navigate', 'https://passwordreset.microsoftonline.com/?mkt=en', 200, 'OK');
    wc.fire('page-title-updated', 'Your password has been reset', true);
    const outcomes = logger.records.filter((r) => r.event === 'portal.outcome');
    expect(outcomes.at(-1)).toMatchObject({ level: 'info', fields: { engine: 'portal', step: 'portal', outcome: 'success' } });
    expect(outcomes.every((r) => r.level === 'info')).toBe(true);
  });
});
