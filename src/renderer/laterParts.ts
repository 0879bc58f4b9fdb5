/**
 * Everything the overlay shows after the user-id screen, in one module so that it loads as one file right
 * after the first paint (see later.ts). A new screen that the first screen does not need is exported here and
 * wrapped with later() where it is used; the bundler needs no change.
 */
export { CodeScreen } from './screens/CodeScreen';
export { PasswordScreen } from './screens/PasswordScreen';
export { ErrorScreen } from './screens/ErrorScreen';
export { ClosedScreen, DoneScreen, MessageScreen, SavingScreen } from './screens/StatusScreens';
export { IdleWarning } from './components/IdleWarning';
export { PortalChrome } from './portal/PortalChrome';
