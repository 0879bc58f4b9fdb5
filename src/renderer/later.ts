/**
 * Parts of the overlay that the first screen does not need (the later screens, the idle warning, the portal
 * chrome). Each is written `later(() => import('./laterParts').then((m) => m.X))`: the bundler makes an
 * import() a file of its own, so the first load carries only the user-id screen and the shell, and the rest
 * is fetched right after the first paint (preloadLater), long before anyone can reach it. The later parts
 * share one module (laterParts.ts) so that they come as one file, and so does the code they share with the
 * first screen.
 */
import i18next from 'i18next';
import { Component, createElement, lazy, Suspense, useState, type ComponentType, type ReactElement, type ReactNode } from 'react';

const loaders: (() => Promise<unknown>)[] = [];

/**
 * A later part whose code could not be loaded (a damaged install) must not take the whole overlay down with
 * it: without this boundary React would unmount everything, "Back to sign-in" included, and leave a blank
 * logon screen. The shell stays, and this says what happened in words from the first load's catalogue.
 */
class LoadFailed extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    if (!this.state.failed) return this.props.children;
    return createElement(
      'div',
      { role: 'alert', 'data-load-failed': '' },
      createElement('h1', null, i18next.t('startup.title')),
      createElement('p', null, i18next.t('startup.body')),
    );
  }
}

/**
 * A component that renders nothing until its code has arrived. Once it has (preloadLater runs right after the
 * first paint), it renders at once: no empty frame between two screens.
 */
export const later = <P extends object>(load: () => Promise<ComponentType<P>>): ((props: P) => ReactElement) => {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  // A failed fetch is forgotten here, so a later call may try again (the screen itself shows LoadFailed).
  const once = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (err: unknown) => {
        loading = undefined;
        throw err;
      },
    ));
  loaders.push(once);
  const Lazy = lazy(async () => ({ default: await once() }));
  return (props: P) => {
    // Decided once per mount, so a screen never swaps its element type (and loses its state) midway.
    const [direct] = useState(() => loaded);
    return direct
      ? createElement(direct, props)
      : createElement(LoadFailed, null, createElement(Suspense, { fallback: null }, createElement(Lazy as ComponentType<P>, props)));
  };
};

/** Starts fetching every later part, after the first screen is on show. */
export const preloadLater = (): void => {
  const start = () => {
    for (const load of loaders) void load().catch(() => undefined);
  };
  // After the frame that shows the first screen has been painted, when the page has nothing else to do.
  requestAnimationFrame(() => requestIdleCallback(start, { timeout: 1000 }));
};
