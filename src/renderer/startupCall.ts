/**
 * start.js: a classic async script of its own (see scripts/bundle-options.mjs) that index.html runs as soon as
 * it arrives, so that app:info is on its way while the overlay's code loads. It imports only the api (which
 * runs no code of its own when loaded), never React or i18next.
 */
import { theStartup } from './startup';

theStartup();
