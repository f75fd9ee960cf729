// cli/commands/inspect-command: `xborder inspect FILE` — content inspection of a file, printed as JSON: counts,
// confidence and masked samples only, never a full identifier.
import { createReadStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createPayloadInspector } from '../../inspection/payload-inspector.js';
import { exitCodes, UsageError } from '../cli-io.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

export const inspectCommand: Command = {
  path: ['inspect'],
  help: [
    'Usage: xborder inspect FILE',
    '',
    'Streams FILE through the same detectors as intake (resident ID, USCC, mobile, bank card, passport,',
    'HK/Macao permit, email, coordinates, sensitive column names) and prints counts, confidence and masked',
    'samples as JSON (with or without --json). Person counts use a key made for this run only.',
    'Like intake it reads the content whatever the file name: gzip, zip, XLSX, DOCX, UTF-16, GB18030, base64;',
    '"containers" lists the wrappings read and "opaque" the parts that could not be (the gateway holds those).',
    'Exit 0, 3 when FILE cannot be read.',
    '',
    'Example: xborder inspect examples/ecommerce-orders.csv',
  ].join('\n'),
  async run(args, io) {
    const { positionals } = parseCommandArgs(args, {}, 1);
    const file = positionals[0];
    if (file === undefined) throw new UsageError('FILE is required');
    // A throwaway key: offline inspection only needs distinct counts, never stable person keys.
    const inspector = createPayloadInspector({ personKey: randomBytes(32) });
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }))
      inspector.write(chunk as Buffer);
    const report = inspector.finish();
    io.out(JSON.stringify(report, null, 2));
    return exitCodes.ok;
  },
};
