/**
 * Next pressed on the prerendered first screen before its code has taken it over would be a plain form
 * submission, which the CSP refuses (form-action 'none'): the press would be lost. From the moment app.js
 * runs it is held here instead, and the user-id screen sends it once it runs. (A press before app.js has
 * run at all, in the first few dozen milliseconds, is still lost.)
 */
let held = false;
let holding = false;

export const holdEarlySubmit = (): void => {
  holding = true;
  document.addEventListener(
    'submit',
    (e) => {
      if (!holding) return;
      // Nobody else sees it either: React, once it is there, would send it a second time.
      e.preventDefault();
      e.stopPropagation();
      held = true;
    },
    { capture: true },
  );
};

/** Stops holding; true when Next was pressed meanwhile. */
export const takeEarlySubmit = (): boolean => {
  holding = false;
  const was = held;
  held = false;
  return was;
};
