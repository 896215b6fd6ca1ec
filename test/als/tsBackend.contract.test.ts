import { tsBackend } from '../../src/als/tsBackend.js';
import { backendContract } from './backendContract.js';

backendContract('ts', () => tsBackend);
