import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hugePageAdviceWanted, reportsFreeHugePages } from '../../src/als/native/hugePagePolicy.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A fake /sys with the given virtio devices (id, feature bits as sysfs prints them) and reporting order. */
function sysfs(devices: Array<[string, string]>, order?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'alsrec-sysfs-'));
  roots.push(root);
  devices.forEach(([id, features], j) => {
    const dir = join(root, 'bus', 'virtio', 'devices', `virtio${j}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'device'), `${id}\n`);
    writeFileSync(join(dir, 'features'), `${features}\n`);
  });
  if (order !== undefined) {
    const dir = join(root, 'module', 'page_reporting', 'parameters');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'page_reporting_order'), `${order}\n`);
  }
  return root;
}

// Feature strings as this project's Firecracker VM prints them: bit 5 is free page reporting.
const BALLOON_REPORTING = '0110010100000000000000000000000010000000';
const BALLOON_PLAIN = '0110000100000000000000000000000010000000';
const NET = '1100010110111011000000000000000100100000';

describe('huge-page policy', () => {
  it('sees a balloon that reports free blocks of a huge page or more', () => {
    expect(reportsFreeHugePages(sysfs([['0x0001', NET], ['0x0005', BALLOON_REPORTING]], '9'))).toBe(true);
    // The kernel's default order is a huge page's when the parameter is not there.
    expect(reportsFreeHugePages(sysfs([['0x0005', BALLOON_REPORTING]]))).toBe(true);
  });

  it('does not see one where huge pages stay backed', () => {
    expect(reportsFreeHugePages(sysfs([['0x0005', BALLOON_PLAIN]], '9'))).toBe(false);
    // Reporting only blocks larger than a huge page leaves huge pages alone.
    expect(reportsFreeHugePages(sysfs([['0x0005', BALLOON_REPORTING]], '10'))).toBe(false);
    // A feature bit 5 on another device is not the balloon's.
    expect(reportsFreeHugePages(sysfs([['0x0001', BALLOON_REPORTING]], '9'))).toBe(false);
    expect(reportsFreeHugePages(join(tmpdir(), 'alsrec-no-such-sysfs'))).toBe(false);
  });

  it('ALSREC_HUGE_PAGES=1 or 0 decides; unset follows the machine; anything else is refused', () => {
    const reporting = sysfs([['0x0005', BALLOON_REPORTING]], '9');
    const plain = sysfs([['0x0005', BALLOON_PLAIN]], '9');
    expect(hugePageAdviceWanted({ ALSREC_HUGE_PAGES: '1' }, reporting)).toBe(true);
    expect(hugePageAdviceWanted({ ALSREC_HUGE_PAGES: '0' }, plain)).toBe(false);
    if (process.platform === 'linux') {
      expect(hugePageAdviceWanted({}, reporting)).toBe(false);
      expect(hugePageAdviceWanted({ ALSREC_HUGE_PAGES: '' }, plain)).toBe(true);
    }
    expect(() => hugePageAdviceWanted({ ALSREC_HUGE_PAGES: 'yes' }, plain)).toThrow('Expected 0, 1 or unset for ALSREC_HUGE_PAGES but received "yes" of type string');
  });
});
