import { accessibilitySuite } from './a11ySuite';

// Windows high-contrast themes: Chromium's forced-colors emulation.
accessibilitySuite('en', 'ltr', { forcedColors: true });
