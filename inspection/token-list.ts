// inspection/token-list: the findings of one scan pass over one window, as parallel typed arrays (no object per
// finding). Positions are offsets into the scanner's work buffer; a list lives only for one window.

export interface TokenList {
  count: number;
  kind: Uint8Array;
  /** Where the finding starts: it orders findings and assigns them to records. */
  start: Int32Array;
  /** The identifier itself, e.g. the 11 digits of a mobile number written with +86. */
  valueStart: Int32Array;
  valueEnd: Int32Array;
}

export function createTokenList(capacity = 1024): TokenList {
  return {
    count: 0,
    kind: new Uint8Array(capacity),
    start: new Int32Array(capacity),
    valueStart: new Int32Array(capacity),
    valueEnd: new Int32Array(capacity),
  };
}

export function pushToken(
  list: TokenList,
  kind: number,
  start: number,
  valueStart: number,
  valueEnd: number,
): void {
  if (list.count === list.kind.length) grow(list);
  const i = list.count++;
  list.kind[i] = kind;
  list.start[i] = start;
  list.valueStart[i] = valueStart;
  list.valueEnd[i] = valueEnd;
}

function grow(list: TokenList): void {
  const size = list.kind.length * 2;
  const kind = new Uint8Array(size);
  kind.set(list.kind);
  const start = new Int32Array(size);
  start.set(list.start);
  const valueStart = new Int32Array(size);
  valueStart.set(list.valueStart);
  const valueEnd = new Int32Array(size);
  valueEnd.set(list.valueEnd);
  list.kind = kind;
  list.start = start;
  list.valueStart = valueStart;
  list.valueEnd = valueEnd;
}
