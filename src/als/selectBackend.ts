/**
 * The one switch between backends: 'native' (C++/Eigen addon), 'ts' (pure TypeScript) or 'auto'
 * (native when the addon loads, else TS with a one-line warning, printed once per process; not when
 * ALSREC_ISA or ALSREC_NATIVE_PATH forced a build that does not load: that is an error).
 */
import type { AlsBackend } from './backend.js';
import type { BackendChoice } from './options.js';
import { tsBackend } from './tsBackend.js';
import { loadNativeBackend } from './nativeBackend.js';
import { AlsrecError, InvalidOptionError } from '../errors.js';
import { NativeLoadError } from './native/addon.js';

let native: AlsBackend | Error | undefined;
let warned = false;

function tryNative(): AlsBackend | Error {
  native ??= loadOrError();
  return native;
}

function loadOrError(): AlsBackend | Error {
  try {
    return loadNativeBackend();
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** Whether the native addon loads in this process. */
export function nativeAvailable(): boolean {
  return !(tryNative() instanceof Error);
}

/** Resolves a backend choice. 'native' when the addon cannot load is an error that says why. */
export function selectBackend(choice: BackendChoice): AlsBackend {
  if (choice === 'ts') return tsBackend;
  const loaded = tryNative();
  if (!(loaded instanceof Error)) return loaded;
  // A build chosen by ALSREC_ISA / ALSREC_NATIVE_PATH (or a malformed choice) is not silently
  // replaced by TS: the user asked for that build.
  if (loaded instanceof InvalidOptionError) throw loaded;
  if (choice === 'native' || (loaded instanceof NativeLoadError && loaded.forced)) {
    throw new AlsrecError(`The native backend is not available: ${loaded.message}`, 'ERR_ALSREC_NATIVE');
  }
  if (!warned) {
    warned = true;
    process.stderr.write('alsrec: native addon not available; using the pure-TypeScript backend (slower). Run `npm run build:native` to build it.\n');
  }
  return tsBackend;
}
