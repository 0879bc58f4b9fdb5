import type { AppInfo } from '../shared/ipc';
import { MessageScreen } from './screens/StatusScreens';

/**
 * The portal engine's view belongs to src/renderer/portal (engineer F). This build carries no portal view,
 * so the user gets a clear message and the always-visible way back to sign-in.
 */
export const PortalView = (_props: { info: AppInfo }) => <MessageScreen titleKey="unavailable.title" bodyKey="unavailable.body" />;
