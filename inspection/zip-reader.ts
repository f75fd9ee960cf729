// inspection/zip-reader: reads a ZIP archive (APPNOTE 6.3.10) front to back as it streams, local header by local
// header, without the central directory (which comes last) and without seeking. Structural only: it hands each
// entry's stored bytes (still compressed) to a sink the caller chooses, and says what it could not read.

/** Local file header (APPNOTE 4.3.7), data descriptor (4.3.9), and the records that follow the entries. */
const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const DIGITAL_SIGNATURE = 0x05054b50;
/** "PK00": a split archive's marker, written before the first local header (APPNOTE 8.5.4). */
const SPLIT_MARKER = 0x30304b50;
const LOCAL_HEADER_BYTES = 30;
/** The largest descriptor: signature, CRC-32 and two 8-byte sizes (ZIP64). */
const MAX_DESCRIPTOR = 24;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;

export interface ZipEntryHeader {
  readonly name: string;
  /** 0 stored, 8 deflate; anything else the caller cannot read. */
  readonly method: number;
  readonly encrypted: boolean;
  /** Compressed size, or undefined when it only follows the data (flag bit 3). */
  readonly compressedSize: number | undefined;
}

export interface ZipEntrySink {
  write(raw: Uint8Array): void;
  /** `complete` is false when the archive ended inside the entry. */
  end(complete: boolean): void;
}

export interface ZipReaderHandlers {
  /** A new entry: a sink for its bytes, null to skip them, 'stop' to read no further. */
  onEntry(header: ZipEntryHeader): ZipEntrySink | null | 'stop';
  /** The archive's structure broke (`corrupt`) or it ended inside an entry or header (`truncated`). */
  onBroken(reason: 'corrupt' | 'truncated', entryName: string | undefined): void;
}

export interface ZipReader {
  write(chunk: Uint8Array): void;
  end(): void;
}

type State = 'signature' | 'header' | 'data' | 'scan' | 'descriptor' | 'done';

export function createZipReader(handlers: ZipReaderHandlers): ZipReader {
  let pending: Buffer = Buffer.alloc(0);
  let state: State = 'signature';
  let entry: ZipEntryHeader | undefined;
  let sink: ZipEntrySink | null = null;
  let remaining = 0;
  /** Bytes of the current entry's data delivered so far (scan mode compares it with the descriptor's size). */
  let dataBytes = 0;
  let zip64 = false;
  let hasDescriptor = false;

  function fail(reason: 'corrupt' | 'truncated'): void {
    if (sink !== null) sink.end(false);
    sink = null;
    handlers.onBroken(reason, state === 'data' || state === 'scan' ? entry?.name : undefined);
    state = 'done';
    pending = Buffer.alloc(0);
  }

  function finishEntry(): void {
    if (sink !== null) sink.end(true);
    sink = null;
    entry = undefined;
  }

  function deliver(bytes: Uint8Array): void {
    dataBytes += bytes.length;
    if (sink !== null && bytes.length > 0) sink.write(bytes);
  }

  /** Reads the local header at pending[0]; false to wait for more bytes. */
  function readHeader(): boolean {
    if (pending.length < LOCAL_HEADER_BYTES) return false;
    const nameLength = pending.readUInt16LE(26);
    const extraLength = pending.readUInt16LE(28);
    const total = LOCAL_HEADER_BYTES + nameLength + extraLength;
    if (pending.length < total) return false;
    const flags = pending.readUInt16LE(6);
    const method = pending.readUInt16LE(8);
    let compressed = pending.readUInt32LE(18);
    let uncompressed = pending.readUInt32LE(22);
    const nameBytes = pending.subarray(LOCAL_HEADER_BYTES, LOCAL_HEADER_BYTES + nameLength);
    const name = nameBytes.toString((flags & FLAG_UTF8) !== 0 ? 'utf8' : 'latin1');
    zip64 = false;
    // ZIP64 extended information (APPNOTE 4.5.3): 8-byte sizes, present for each field that reads 0xFFFFFFFF.
    let at = LOCAL_HEADER_BYTES + nameLength;
    const extraEnd = at + extraLength;
    while (at + 4 <= extraEnd) {
      const id = pending.readUInt16LE(at);
      const size = pending.readUInt16LE(at + 2);
      if (id === 0x0001) {
        zip64 = true;
        let field = at + 4;
        if (uncompressed === 0xffffffff && field + 8 <= at + 4 + size) {
          uncompressed = Number(pending.readBigUInt64LE(field));
          field += 8;
        }
        if (compressed === 0xffffffff && field + 8 <= at + 4 + size)
          compressed = Number(pending.readBigUInt64LE(field));
      }
      at += 4 + size;
    }
    if (!Number.isSafeInteger(compressed)) {
      fail('corrupt');
      return true;
    }
    hasDescriptor = (flags & FLAG_DESCRIPTOR) !== 0;
    const sizeKnown = !hasDescriptor || compressed !== 0;
    entry = {
      name,
      method,
      encrypted: (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) !== 0 || method === 99,
      compressedSize: sizeKnown ? compressed : undefined,
    };
    pending = pending.subarray(total);
    const chosen = handlers.onEntry(entry);
    if (chosen === 'stop') {
      state = 'done';
      pending = Buffer.alloc(0);
      return true;
    }
    sink = chosen;
    dataBytes = 0;
    if (sizeKnown) {
      remaining = compressed;
      state = 'data';
    } else state = 'scan';
    return true;
  }

  /**
   * Data of unknown length (flag bit 3, sizes zero in the local header): it ends at a data descriptor whose
   * compressed size equals the bytes seen since the entry began, which an accidental "PK\7\8" inside the data
   * does not match. The last MAX_DESCRIPTOR - 1 bytes wait for the next chunk, a descriptor may start there.
   */
  function scan(final: boolean): boolean {
    let at = pending.indexOf(0x50);
    while (at >= 0 && at + 16 <= pending.length) {
      if (pending.readUInt32LE(at) === DATA_DESCRIPTOR) {
        const size32 = pending.readUInt32LE(at + 8);
        const expected = dataBytes + at;
        const size64 = at + 24 <= pending.length ? Number(pending.readBigUInt64LE(at + 8)) : -1;
        const matches = zip64 ? size64 === expected : size32 === expected % 0x100000000;
        if (matches) {
          deliver(pending.subarray(0, at));
          pending = pending.subarray(at + (zip64 ? 24 : 16));
          finishEntry();
          state = 'signature';
          return true;
        }
      }
      at = pending.indexOf(0x50, at + 1);
    }
    if (final) return false;
    const keep = Math.min(pending.length, MAX_DESCRIPTOR - 1);
    deliver(pending.subarray(0, pending.length - keep));
    pending = pending.subarray(pending.length - keep);
    return false;
  }

  function step(final: boolean): boolean {
    switch (state) {
      case 'signature': {
        if (pending.length < 4) return false;
        const signature = pending.readUInt32LE(0);
        if (signature === LOCAL_HEADER) {
          state = 'header';
          return true;
        }
        if (signature === SPLIT_MARKER || (signature === DATA_DESCRIPTOR && entry === undefined)) {
          pending = pending.subarray(4);
          return true;
        }
        if (
          signature === CENTRAL_HEADER ||
          signature === END_OF_CENTRAL ||
          signature === ZIP64_END ||
          signature === ZIP64_LOCATOR ||
          signature === DIGITAL_SIGNATURE
        ) {
          state = 'done';
          pending = Buffer.alloc(0);
          return false;
        }
        fail('corrupt');
        return false;
      }
      case 'header':
        return readHeader();
      case 'data': {
        if (remaining > 0) {
          if (pending.length === 0) return false;
          const take = Math.min(remaining, pending.length);
          deliver(pending.subarray(0, take));
          pending = pending.subarray(take);
          remaining -= take;
          if (remaining > 0) return false;
        }
        finishEntry();
        state = hasDescriptor ? 'descriptor' : 'signature';
        return true;
      }
      case 'descriptor': {
        // With the sizes known up front a descriptor may still follow (bit 3): signed or not, ZIP64 or not.
        if (pending.length < 4) return false;
        const signed = pending.readUInt32LE(0) === DATA_DESCRIPTOR;
        const length = (signed ? 4 : 0) + (zip64 ? 20 : 12);
        if (pending.length < length) return false;
        pending = pending.subarray(length);
        state = 'signature';
        return true;
      }
      case 'scan':
        return scan(final);
      case 'done':
        pending = Buffer.alloc(0);
        return false;
    }
  }

  return {
    write(chunk) {
      if (state === 'done') return;
      // A view, not a copy: chunks are not reused by their producers, and the sinks consume synchronously.
      const view = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      pending = pending.length === 0 ? view : Buffer.concat([pending, view]);
      while (step(false));
    },
    end() {
      while (step(true));
      if (state === 'done') return;
      if (state === 'signature' && pending.length === 0) return; // entries complete, directory missing: read all
      fail('truncated');
    },
  };
}
