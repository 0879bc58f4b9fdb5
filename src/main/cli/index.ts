/** Entry of dist/main/cli.cjs (`npm run cli -- logs ...`, Node 16.17 and later on a helpdesk workstation). */
import { processCliIo } from './processIo';
import { runCli } from './run';

void runCli(process.argv.slice(2), processCliIo()).then((code) => {
  process.exitCode = code;
});
