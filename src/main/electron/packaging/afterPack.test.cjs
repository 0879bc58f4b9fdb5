/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS hooks loaded by electron-builder */
// electron-builder.test.yml afterPack: test fuses (inspect on, for Playwright _electron).
'use strict';
const { flipFusesAfterPack } = require('./fuses.cjs');
exports.default = (context) => flipFusesAfterPack(context, 'test');
