// inspection/payload-inspector: inspects a payload whatever its wrapping (api.md §6). Each part's content is
// sniffed, never its name: gzip and zip (XLSX, DOCX) are opened as they stream, UTF-16 and GB18030 text is
// transcoded to UTF-8, XML is reduced to its text, full-width and grouped identifiers are normalised, long base64
// runs are decoded; the text of every part goes through one inspector, so counts and people add up across parts.
// What cannot be read (encrypted, unknown binary, a bound reached) is listed as opaque, never taken as clean.
// Synchronous and in flat memory like the inspector: bombs are bounded by nesting depth, total expanded bytes,
// expansion ratio and entry count, and decompression is pushed in small slices so a bound stops it promptly.
import { createBase64Runs } from './base64-runs.js';
import { createDecompressor, type CompressedFormat } from './inflate.js';
import {
  createInspector,
  type InspectionReport,
  type InspectorOptions,
  type OpaquePart,
  type OpaqueReason,
} from './inspector.js';
import { createTextNormaliser } from './normalise-text.js';
import { createXmlText, type XmlText } from './xml-text.js';
import { createZipReader, type ZipEntrySink } from './zip-reader.js';

export interface PayloadLimits {
  /** Containers inside containers (gzip in zip in base64 is 3); deeper ones are opaque. */
  readonly maxDepth: number;
  /** Decompressed bytes over the whole payload; default 10 GiB (XBORDER_MAX_PAYLOAD_BYTES × 10 by default). */
  readonly maxExpandedBytes: number;
  /** Decompressed / compressed, per stream and over the payload, once past RATIO_FLOOR bytes. */
  readonly maxExpansionRatio: number;
  /** Zip entries over the whole payload. */
  readonly maxEntries: number;
}

export const defaultPayloadLimits: PayloadLimits = Object.freeze({
  maxDepth: 4,
  maxExpandedBytes: 10 * 1024 * 1024 * 1024,
  maxExpansionRatio: 100,
  maxEntries: 10_000,
});

export interface PayloadInspectorOptions extends InspectorOptions {
  readonly limits?: Partial<PayloadLimits>;
}

export interface PayloadInspector {
  write(chunk: Uint8Array): void;
  finish(): InspectionReport;
}

/** Bytes looked at to tell a part's format. */
const SNIFF_BYTES = 4096;
/** Compressed bytes pushed at once: at most ~4 MiB comes out (DEFLATE's 1032:1), then the bounds are checked. */
const PUSH_SLICE = 4096;
/** Ratios are not judged on less output than this (a small, very regular file compresses well and is harmless). */
const RATIO_FLOOR = 1 << 20;
const MAX_LISTED = 100;
const MAX_NAME_CHARS = 160;

interface PartSink {
  write(chunk: Uint8Array): void;
  end(): void;
}

const discard: PartSink = { write: () => undefined, end: () => undefined };

type Sniffed =
  | { readonly kind: 'empty' | 'gzip' | 'zip' | 'binary' }
  | { readonly kind: 'text'; readonly encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' }
  | { readonly kind: 'format'; readonly format: string };

/** Magic numbers of formats read as opaque (their text is compressed, encrypted or not text). */
const OPAQUE_MAGIC: readonly (readonly [string, Buffer])[] = [
  ['pdf', Buffer.from('%PDF-')],
  ['png', Buffer.from([0x89, 0x50, 0x4e, 0x47])],
  ['jpeg', Buffer.from([0xff, 0xd8, 0xff])],
  ['gif', Buffer.from('GIF8')],
  ['tiff', Buffer.from([0x49, 0x49, 0x2a, 0x00])],
  ['tiff', Buffer.from([0x4d, 0x4d, 0x00, 0x2a])],
  ['riff', Buffer.from('RIFF')],
  ['7z', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])],
  ['rar', Buffer.from('Rar!\x1a\x07', 'latin1')],
  ['bzip2', Buffer.from('BZh')],
  ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
  ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd])],
  ['lz4', Buffer.from([0x04, 0x22, 0x4d, 0x18])],
  ['compress', Buffer.from([0x1f, 0x9d])],
  // OLE2 compound file: legacy .xls/.doc, and the wrapping of a password-protected XLSX/DOCX.
  ['ole2', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
  ['sqlite', Buffer.from('SQLite format 3\0', 'latin1')],
];

function startsWith(head: Uint8Array, magic: Uint8Array): boolean {
  if (head.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (head[i] !== magic[i]) return false;
  return true;
}

/** Decodes head strictly; a multi-byte character cut at the end of an unfinished head is allowed. */
function decodesAs(encoding: string, head: Uint8Array, final: boolean): boolean {
  const decoder = new TextDecoder(encoding, { fatal: true });
  for (let cut = 0; cut <= (final ? 0 : 3) && cut < head.length; cut++) {
    try {
      decoder.decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      // try without the last byte: it may be the first half of a character
    }
  }
  return false;
}

/** Control characters other than tab, LF, VT, FF, CR and ESC: text has (almost) none. */
function controlRatio(head: Uint8Array): number {
  let controls = 0;
  for (const c of head)
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0b && c !== 0x0c && c !== 0x0d && c !== 0x1b)
      controls++;
  return controls / Math.max(1, head.length);
}

/** UTF-16 only if it decodes and reads as text: zeros between random bytes are not a text encoding. */
function utf16(head: Uint8Array, encoding: 'utf-16le' | 'utf-16be', final: boolean): Sniffed {
  const even = head.subarray(0, head.length & ~1);
  if (!decodesAs(encoding, even, final)) return { kind: 'binary' };
  const decoded = new TextDecoder(encoding).decode(even);
  let controls = 0;
  for (let i = 0; i < decoded.length; i++) {
    const c = decoded.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) controls++;
  }
  return controls > decoded.length * 0.01 ? { kind: 'binary' } : { kind: 'text', encoding };
}

export function sniffPart(head: Uint8Array, final: boolean): Sniffed {
  if (head.length === 0) return { kind: 'empty' };
  if (head[0] === 0x1f && head[1] === 0x8b && (head.length < 3 || head[2] === 0x08)) return { kind: 'gzip' };
  if (head[0] === 0x50 && head[1] === 0x4b) {
    const b2 = head[2];
    const b3 = head[3];
    if (
      (b2 === 3 && b3 === 4) ||
      (b2 === 5 && b3 === 6) ||
      (b2 === 7 && b3 === 8) ||
      (b2 === 0x30 && b3 === 0x30)
    )
      return { kind: 'zip' };
  }
  for (const [format, magic] of OPAQUE_MAGIC) if (startsWith(head, magic)) return { kind: 'format', format };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { kind: 'text', encoding: 'utf-8' };
  if (head[0] === 0xff && head[1] === 0xfe) return utf16(head, 'utf-16le', final);
  if (head[0] === 0xfe && head[1] === 0xff) return utf16(head, 'utf-16be', final);
  // UTF-16 without a byte order mark: text with ASCII in it has a zero high byte in every other position.
  const pairs = head.length >> 1;
  if (pairs >= 2) {
    let evenZeros = 0;
    let oddZeros = 0;
    for (let i = 0; i + 1 < head.length; i += 2) {
      if (head[i] === 0) evenZeros++;
      if (head[i + 1] === 0) oddZeros++;
    }
    if (oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return utf16(head, 'utf-16le', final);
    if (evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return utf16(head, 'utf-16be', final);
  }
  if (head.includes(0) || controlRatio(head) > 0.01) return { kind: 'binary' };
  if (decodesAs('utf-8', head, final)) return { kind: 'text', encoding: 'utf-8' };
  if (decodesAs('gb18030', head, final)) return { kind: 'text', encoding: 'gb18030' };
  return { kind: 'binary' };
}

/**
 * A zip entry's name as shown in a path: control characters dropped, and any letters-and-digits token with four
 * or more digits cut to its first two characters (a file may be named after a person's ID or phone number).
 */
export function partName(name: string): string {
  const shown = name
    .normalize('NFKC')
    .replace(/\p{Cc}/gu, '')
    .replace(/[^\s/]*@[^\s/]*/g, '***@***')
    .replace(/[0-9A-Za-z]+/g, (token) => {
      let digits = 0;
      for (const ch of token) if (ch >= '0' && ch <= '9') digits++;
      return digits >= 4 ? token.slice(0, 2) + '*'.repeat(token.length - 2) : token;
    });
  return shown.length > MAX_NAME_CHARS ? `${shown.slice(0, MAX_NAME_CHARS)}…` : shown;
}

/** OOXML packages are zips whose part names say what they are (ECMA-376 Part 2). */
function ooxmlFormat(entryName: string): string | undefined {
  if (entryName === 'word/document.xml') return 'docx';
  if (entryName === 'xl/workbook.xml' || entryName.startsWith('xl/worksheets/')) return 'xlsx';
  if (entryName === 'ppt/presentation.xml') return 'pptx';
  return undefined;
}

export function createPayloadInspector(options: PayloadInspectorOptions): PayloadInspector {
  const limits: PayloadLimits = { ...defaultPayloadLimits, ...options.limits };
  const text = createInspector(options);
  const containers: { path: string; format: string }[] = [];
  const opaque: OpaquePart[] = [];
  let rootBytes = 0;
  let expanded = 0;
  let entries = 0;
  let textOwner = -1;
  let nextOwner = 0;
  let finished = false;

  function addOpaque(path: string, reason: OpaqueReason, format?: string): void {
    if (opaque.length >= MAX_LISTED) return;
    if (opaque.some((o) => o.path === path && o.reason === reason)) return;
    opaque.push(Object.freeze(format === undefined ? { path, reason } : { path, reason, format }));
  }

  /** Records a container; false (and opaque) when it lies deeper than allowed. */
  function enterContainer(path: string, format: string, depth: number): boolean {
    if (depth >= limits.maxDepth) {
      addOpaque(path, 'nesting_limit', format);
      return false;
    }
    if (containers.length < MAX_LISTED) containers.push({ path, format });
    return true;
  }

  function writeText(owner: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (textOwner !== owner) {
      // Another part's text was in the middle of a record (a base64 run inside a line): close it first.
      if (textOwner !== -1) text.endPart();
      textOwner = owner;
    }
    text.write(bytes);
  }

  function endText(owner: number): void {
    if (textOwner !== owner) return;
    text.endPart();
    textOwner = -1;
  }

  /** The text of one part, from its encoding to the inspector. */
  function textPart(path: string, depth: number, encoding: string, readXml: boolean): PartSink {
    const owner = nextOwner++;
    const decoder = encoding === 'utf-8' ? undefined : new TextDecoder(encoding);
    let xml: XmlText | null | undefined = readXml ? undefined : null;
    const normaliser = createTextNormaliser();
    const runs = createBase64Runs(
      (bytes) => writeText(owner, bytes),
      (offset) => openPart(`${path}#base64@${offset}`, depth + 1, true),
    );
    const emitNormalised = (bytes: Uint8Array): void => runs.push(bytes, false);
    function pass(chunk: Uint8Array, final: boolean): void {
      let bytes = chunk;
      if (xml === undefined && bytes.length > 0) {
        let i = 0;
        if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
        while (
          i < bytes.length &&
          (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)
        )
          i++;
        const next = bytes[i + 1] ?? 0;
        const isXml =
          bytes[i] === 0x3c && (next === 0x3f || ((next | 0x20) >= 0x61 && (next | 0x20) <= 0x7a));
        xml = isXml ? createXmlText() : null;
      }
      if (xml) bytes = xml.push(bytes);
      normaliser.push(bytes, final, emitNormalised);
      if (final) runs.push(new Uint8Array(0), true);
    }
    return {
      write(chunk) {
        pass(
          decoder === undefined ? chunk : Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'),
          false,
        );
      },
      end() {
        pass(decoder === undefined ? new Uint8Array(0) : Buffer.from(decoder.decode(), 'utf8'), true);
        endText(owner);
      },
    };
  }

  /**
   * Decompresses into `child`, within the bounds: total expanded bytes, the ratio of this stream and of the
   * payload (past RATIO_FLOOR), pushed in slices so that a bomb is stopped within one slice's output.
   */
  function decompressing(path: string, format: CompressedFormat, child: PartSink): ZipEntrySink {
    let input = 0;
    let output = 0;
    let stopped = false;
    let childEnded = false;
    const endChild = (): void => {
      if (!childEnded) child.end();
      childEnded = true;
    };
    const stop = (reason: OpaqueReason): void => {
      if (stopped) return;
      stopped = true;
      addOpaque(path, reason);
      endChild();
    };
    const engine = createDecompressor(format, (out) => {
      if (stopped) return;
      output += out.length;
      expanded += out.length;
      if (expanded > limits.maxExpandedBytes) return stop('size_limit');
      if (output > RATIO_FLOOR && output > limits.maxExpansionRatio * input) return stop('ratio_limit');
      if (expanded > RATIO_FLOOR && expanded > limits.maxExpansionRatio * rootBytes)
        return stop('ratio_limit');
      child.write(out);
    });
    const push = (chunk: Uint8Array, final: boolean): void => {
      try {
        engine.push(chunk, final);
      } catch {
        stop(final ? 'truncated' : 'corrupt');
      }
    };
    return {
      write(raw) {
        for (let at = 0; at < raw.length && !stopped; at += PUSH_SLICE) {
          const slice = raw.subarray(at, Math.min(raw.length, at + PUSH_SLICE));
          input += slice.length;
          push(slice, false);
        }
      },
      end(complete) {
        if (!stopped && complete) push(new Uint8Array(0), true);
        endChild();
      },
    };
  }

  function gzipPart(path: string, depth: number): PartSink {
    if (!enterContainer(path, 'gzip', depth)) return discard;
    const inner = decompressing(path, 'gzip', openPart(`${path}!gunzip`, depth + 1, false));
    return { write: (chunk) => inner.write(chunk), end: () => inner.end(true) };
  }

  function zipPart(path: string, depth: number): PartSink {
    if (!enterContainer(path, 'zip', depth)) return discard;
    const record = containers.length > 0 ? containers[containers.length - 1] : undefined;
    const listed = record !== undefined && record.path === path ? record : undefined;
    let current = path;
    const reader = createZipReader({
      onEntry(header) {
        entries++;
        if (entries > limits.maxEntries) {
          addOpaque(path, 'entry_limit');
          return 'stop';
        }
        current = `${path}!/${partName(header.name)}`;
        const office = ooxmlFormat(header.name);
        if (office !== undefined && listed !== undefined) listed.format = office;
        if (header.name.endsWith('/') && header.compressedSize === 0) return null;
        if (header.encrypted) {
          addOpaque(current, 'encrypted');
          return null;
        }
        if (header.method !== 0 && header.method !== 8) {
          addOpaque(current, 'unsupported_format', `zip method ${header.method}`);
          return null;
        }
        const part = openPart(current, depth + 1, false);
        if (header.method === 8) return decompressing(current, 'deflate-raw', part);
        return { write: (raw) => part.write(raw), end: () => part.end() };
      },
      onBroken(reason, entryName) {
        addOpaque(entryName === undefined ? path : current, reason);
      },
    });
    return { write: (chunk) => reader.write(chunk), end: () => reader.end() };
  }

  /** A part whose format is not known yet: the first SNIFF_BYTES decide, then everything goes to its reader. */
  function openPart(path: string, depth: number, decodedRun: boolean): PartSink {
    let head: Buffer[] = [];
    let headLength = 0;
    let reader: PartSink | undefined;

    function choose(final: boolean): PartSink {
      const bytes = Buffer.concat(head, headLength);
      head = [];
      const sniffed = sniffPart(bytes, final);
      let chosen: PartSink;
      // A decoded base64 run is often just a token (a hash, a key): only text and containers count there.
      if (decodedRun && (sniffed.kind === 'binary' || sniffed.kind === 'format' || sniffed.kind === 'empty'))
        return discard;
      if (decodedRun && !enterContainer(path, 'base64', depth - 1)) return discard;
      switch (sniffed.kind) {
        case 'empty':
          chosen = discard;
          break;
        case 'gzip':
          chosen = gzipPart(path, depth);
          break;
        case 'zip':
          chosen = zipPart(path, depth);
          break;
        case 'text':
          if (sniffed.encoding !== 'utf-8') enterContainer(path, sniffed.encoding, depth);
          chosen = textPart(path, depth, sniffed.encoding, true);
          break;
        case 'format':
          addOpaque(path, 'unsupported_format', sniffed.format);
          // Still scanned as bytes: whatever is stored uncompressed in it is found.
          chosen = textPart(path, depth, 'utf-8', false);
          break;
        case 'binary':
          addOpaque(path, 'unknown_binary');
          chosen = textPart(path, depth, 'utf-8', false);
          break;
      }
      if (bytes.length > 0) chosen.write(bytes);
      return chosen;
    }

    return {
      write(chunk) {
        if (reader !== undefined) return reader.write(chunk);
        head.push(Buffer.from(chunk));
        headLength += chunk.length;
        if (headLength >= SNIFF_BYTES) reader = choose(false);
      },
      end() {
        reader ??= choose(true);
        reader.end();
      },
    };
  }

  const root = openPart('payload', 0, false);
  let broken = false;

  return {
    write(chunk) {
      if (finished) throw new Error('payload inspector: write() after finish()');
      rootBytes += chunk.length;
      if (broken) return;
      try {
        root.write(chunk);
      } catch {
        // A fault in a reader must not fail the upload open: the rest is unread, so the payload is opaque.
        broken = true;
        addOpaque('payload', 'corrupt');
      }
    },
    finish() {
      if (finished) throw new Error('payload inspector: finish() called twice');
      finished = true;
      if (!broken) {
        try {
          root.end();
        } catch {
          addOpaque('payload', 'corrupt');
        }
      }
      const report = text.finish();
      return Object.freeze({
        ...report,
        bytes: rootBytes,
        containers: Object.freeze(containers.map((c) => Object.freeze({ ...c }))),
        opaque: Object.freeze([...opaque]),
      });
    },
  };
}

/** Inspects a whole payload held in memory (tests, small files). */
export function inspectPayloadBuffer(
  payload: Uint8Array,
  options: PayloadInspectorOptions,
): InspectionReport {
  const inspector = createPayloadInspector(options);
  inspector.write(payload);
  return inspector.finish();
}
