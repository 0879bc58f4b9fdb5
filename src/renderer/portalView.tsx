import type { AppInfo } from '../shared/ipc';
import { MessageScreen } from './screens/StatusScreens';

/**
 * main.tsx renders the portal engine's own chrome (src/renderer/portal) instead of App; this message is
 * only the fallback should App ever be asked to show the portal engine itself.
 */
export const PortalView = (_props: { info: AppInfo }) => <MessageScreen titleKey="unavailable.title" bodyKey="unavailable.body" />;
