/**
 * Whether large data-path columns get huge-page advice (src/matrix/largeArrays.ts).
 *
 * Advice makes fresh memory cheaper where 2 MiB pages come backed: one fault per 2 MiB instead of
 * 512. A VM whose balloon reports free memory to the host (virtio-balloon free page reporting, as
 * Firecracker uses) reports free blocks of the reporting order and up, 2 MiB by default, and the
 * host drops them; a huge page is always such a block, so a cold process's every huge page is
 * faulted in again by the host 4 KiB at a time, while 4 KiB pages come from smaller free blocks
 * the host still backs. Measured on such a VM (synth-10m, `alsrec bench --phases`, each run after
 * 40 s idle, alternating): parse 0.89, 1.13, 0.91 s advised against 0.44, 0.46, 0.46 s plain.
 * So the advice is off there unless asked for.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { invalidOption } from '../../errors.js';

/** virtio device id of the memory balloon, and its feature bit VIRTIO_BALLOON_F_REPORTING. */
const BALLOON_DEVICE = 0x0005;
const REPORTING_FEATURE = 5;
/** log2(2 MiB / 4 KiB): the order of an x86-64 huge page, and the kernel's default reporting order. */
const HUGE_PAGE_ORDER = 9;

/**
 * Whether a virtio balloon under `sysfs` reports free blocks as small as a huge page to the host.
 * @example reportsFreeHugePages() // true on a Firecracker VM with free page reporting
 */
export function reportsFreeHugePages(sysfs = '/sys'): boolean {
  let reporting = false;
  try {
    const devices = join(sysfs, 'bus', 'virtio', 'devices');
    for (const device of readdirSync(devices)) {
      const id = Number.parseInt(readFileSync(join(devices, device, 'device'), 'latin1').trim(), 16);
      // `features`: one character per feature bit, bit 0 first.
      const features = readFileSync(join(devices, device, 'features'), 'latin1');
      if (id === BALLOON_DEVICE && features[REPORTING_FEATURE] === '1') reporting = true;
    }
  } catch {
    return false; // no virtio devices (or no sysfs): not such a VM
  }
  if (!reporting) return false;
  try {
    const order = Number.parseInt(readFileSync(join(sysfs, 'module', 'page_reporting', 'parameters', 'page_reporting_order'), 'latin1'), 10);
    return !(order > HUGE_PAGE_ORDER);
  } catch {
    return true; // the kernel's default order is the huge page's
  }
}

/**
 * ALSREC_HUGE_PAGES: `1` advises, `0` does not (both for A/B measurements), unset chooses: advice
 * except on a VM that reports free huge pages to its host.
 * @example hugePageAdviceWanted(process.env) // false on Firecracker, true on most machines
 */
export function hugePageAdviceWanted(env: NodeJS.ProcessEnv, sysfs = '/sys'): boolean {
  const value = env['ALSREC_HUGE_PAGES'];
  if (value === '1') return true;
  if (value === '0') return false;
  if (value !== undefined && value !== '') throw invalidOption('ALSREC_HUGE_PAGES', '0, 1 or unset', value);
  return process.platform !== 'linux' || !reportsFreeHugePages(sysfs);
}
