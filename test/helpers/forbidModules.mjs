// Loaded with `node --import`: makes every module whose resolved URL matches one of the regular
// expressions in ALSREC_FORBID_MODULES (a JSON array of strings) fail to import, naming it. A
// start-up test runs the CLI this way to prove a command line never reaches code it should not.
import { register } from 'node:module';

register('./forbidModulesHooks.mjs', import.meta.url, { data: JSON.parse(process.env.ALSREC_FORBID_MODULES ?? '[]') });
