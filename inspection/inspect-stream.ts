// inspection/inspect-stream: feeds an async iterable of chunks (a file read stream, an upload part) through one
// inspector. It reads only what it is given; opening files or sockets is the caller's business.
import { createInspector, type InspectionReport, type InspectorOptions } from './inspector.js';

/** Inspects a stream of chunks without holding it whole. Strings are taken as UTF-8. */
export async function inspectStream(
  source: AsyncIterable<Uint8Array | string>,
  options: InspectorOptions,
): Promise<InspectionReport> {
  const inspector = createInspector(options);
  for await (const chunk of source)
    inspector.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return inspector.finish();
}
