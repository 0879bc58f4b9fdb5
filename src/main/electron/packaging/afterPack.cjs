/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS hooks loaded by electron-builder */
// electron-builder.yml afterPack: release fuses (inspect off).
'use strict';
const { flipFusesAfterPack } = require('./fuses.cjs');
exports.default = (context) => flipFusesAfterPack(context, 'release');
