// test/chaos/support/payload-file: large order files without personal data (order ids, SKUs, quantities,
// prices, warehouses, dates), so a transfer declared as exempt or free flow is not held by inspection. One block
// of distinct rows is written again and again: writing 1 GiB costs the disk, not the CPU.
import { closeSync, openSync, writeSync } from 'node:fs';

const blockBytes = 4 * 1024 * 1024;

/** `bytes` of CSV order lines (about 60 bytes each), whole lines only in the repeated block. */
export function orderRows(bytes: number, offset = 0): Buffer {
  const lines: string[] = ['order_id,sku,qty,unit_price,warehouse,ship_date\n'];
  let size = lines[0]?.length ?? 0;
  for (let i = offset; size < bytes; i += 1) {
    const line = `SO-${String(10_000_000 + i)},GX-${String(i % 997).padStart(3, '0')},${(i % 40) + 1},${((i % 5000) * 1.37).toFixed(2)},NNG-${i % 5},2026-03-${String((i % 28) + 1).padStart(2, '0')}\n`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

/** Writes `bytes` of order lines to `file`; another `offset` gives other bytes (another digest). */
export function writeOrderFile(file: string, bytes: number, offset = 0): void {
  const block = orderRows(Math.min(blockBytes, bytes), offset);
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < bytes;) {
      const n = Math.min(block.length, bytes - written);
      writeSync(fd, block, 0, n);
      written += n;
    }
  } finally {
    closeSync(fd);
  }
}
