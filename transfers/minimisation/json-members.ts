// transfers/minimisation/json-members: the top-level members of one JSON object text as raw spans, so kept members go out
// byte for byte (a long number keeps its digits, which JSON.parse would round). Pure. Call it only on text that
// JSON.parse accepted as an object: the scanner relies on that and checks nothing itself.

export interface MemberSpan {
  /** The key, decoded. */
  readonly key: string;
  /** From the key's opening quote to the value's end. */
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

function skipSpace(text: string, i: number): number {
  while (isSpace(text[i])) i++;
  return i;
}

/** The index just past the string starting at `i` (a quote). */
function endOfString(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
  }
  return text.length;
}

function endOfValue(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return endOfString(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (; i < text.length; i++) {
      const d = text[i];
      if (d === '"') i = endOfString(text, i) - 1;
      else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return text.length;
  }
  while (i < text.length && !isSpace(text[i]) && text[i] !== ',' && text[i] !== '}') i++;
  return i;
}

export function objectMembers(text: string): MemberSpan[] {
  const members: MemberSpan[] = [];
  let i = skipSpace(text, 0) + 1; // past '{'
  i = skipSpace(text, i);
  if (text[i] === '}') return members;
  for (;;) {
    const start = i;
    const keyEnd = endOfString(text, i);
    const key = JSON.parse(text.slice(start, keyEnd)) as string;
    i = skipSpace(text, keyEnd) + 1; // past ':'
    const valueStart = skipSpace(text, i);
    const end = endOfValue(text, valueStart);
    members.push({ key, start, valueStart, end });
    i = skipSpace(text, end);
    if (text[i] !== ',') return members;
    i = skipSpace(text, i + 1);
  }
}
