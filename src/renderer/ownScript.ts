/**
 * Runs one of our own scripts that the build writes next to app.js (a language catalogue, the common-password
 * list). A script element, not fetch(): the overlay's CSP allows our own scripts but no connections. Resolves
 * false when the file is missing or cannot run; the element is removed once it has done its work.
 */
export const loadOwnScript = (src: string): Promise<boolean> =>
  new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    const settle = (ok: boolean) => {
      script.remove();
      resolve(ok);
    };
    script.onload = () => settle(true);
    script.onerror = () => settle(false);
    document.head.appendChild(script);
  });
