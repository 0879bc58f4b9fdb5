/**
 * start.js: a classic script of its own (see scripts/bundle-options.mjs) that index.html runs as soon as it
 * arrives, after it has asked for the modules, so that app:info is on its way while app.js loads. It imports only the api
 * (which runs no code of its own when loaded), never React or i18next.
 */
import { theStartup } from './startup';

theStartup();
