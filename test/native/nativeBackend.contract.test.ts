import { describe } from 'vitest';
import { loadNativeBackend } from '../../src/als/nativeBackend.js';
import { backendContract } from '../als/backendContract.js';
import { tryLoadAddon, variantsUnderTest } from './problems.js';

const { addon, reason } = tryLoadAddon();
if (addon === null) console.warn(`native contract suite skipped: ${reason}`);

describe.skipIf(addon === null)('native backend', () => {
  // The build the loader picks (or ALSREC_NATIVE_PATH's, e.g. the sanitizer build) ...
  backendContract('native', loadNativeBackend);
  // ... and every other variant this CPU runs, each a separate shared object.
  for (const variant of addon === null ? [] : variantsUnderTest()) {
    backendContract('native', () => loadNativeBackend(variant), variant);
  }
});
