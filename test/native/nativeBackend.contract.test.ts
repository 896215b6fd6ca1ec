import { describe } from 'vitest';
import { loadNativeBackend } from '../../src/als/nativeBackend.js';
import { backendContract } from '../als/backendContract.js';
import { tryLoadAddon } from './problems.js';

const { addon, reason } = tryLoadAddon();
if (addon === null) console.warn(`native contract suite skipped: ${reason}`);

describe.skipIf(addon === null)('native backend', () => {
  backendContract('native', loadNativeBackend);
});
