/**
 * The UCI Online Retail log (../shared/data/online-retail, see its README): the loader's counts
 * equal the facts its README measured with Python's csv module. Skips when the file is absent.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aggregateEvents } from '../../../src/data/aggregateEvents.js';
import { loadInteractions } from '../../../src/data/events/loadInteractions.js';

const FILE = resolve('../shared/data/online-retail/online-retail.csv.gz');
const present = existsSync(FILE);
if (!present) console.log(`onlineRetail.realData.test: ${FILE} is absent; skipped`);

describe.skipIf(!present)('Online Retail', () => {
  it('keeps the 397,924 positive lines with a customer, 266,802 (customer, stock code) pairs', async () => {
    const { events, titles, summary } = await loadInteractions(FILE, {
      userColumn: 'CustomerID', itemColumn: 'StockCode', weightColumn: 'Quantity', timeColumn: 'InvoiceDate', titleColumn: 'Description',
    });
    expect(summary).toMatchObject({ rows: 541_909, kept: 397_924, emptyUser: 135_080, compressed: true, skippedBadRows: 0 });
    // The README counts 397,924 positive, non-cancelled lines with a customer: the weight rule
    // alone (quantity <= 0) drops every cancelled line.
    expect(summary.rows - summary.emptyUser - summary.nonPositiveWeight).toBe(397_924);
    expect(events.users.kind).toBe('int'); // 17850.0 -> 17850
    expect(events.items.kind).toBe('string');
    expect(titles.get('85123A')).toBe('WHITE HANGING HEART T-LIGHT HOLDER');
    expect(aggregateEvents(events, 'sum').events.length).toBe(266_802);
    expect(events.times![0]).toBe(Date.UTC(2010, 11, 1, 8, 26) / 1000);
  }, 60_000);
});
