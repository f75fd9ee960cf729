// inspection/xml-text: the text of an XML document (an XLSX sheet or shared-strings part, a DOCX document, any
// other XML), streamed. Entities are decoded (so "&#49;" cannot hide a digit). Markup between two pieces of text
// separates them, except run-level markup of OOXML (w:r, w:t, w:rPr and what is inside it, proofing and bookmark
// marks): Word splits "4501" and "0219..." of one identifier into two runs when formatting or proofing touches it.
// Paragraph, row, shared-string and break elements end a line, so a sheet row or a paragraph is one record.

/** Run-level element names (local part): they join the text on either side. */
const JOINING = new Set([
  'r',
  't',
  'rPr',
  'proofErr',
  'bookmarkStart',
  'bookmarkEnd',
  'lastRenderedPageBreak',
]);
/** Element names (local part) that end a line: paragraph, table row, sheet row, shared string, line break. */
const LINE_ENDING = new Set(['p', 'tr', 'row', 'si', 'br', 'cr']);
const MAX_NAME = 64;
const MAX_ENTITY = 12;
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export interface XmlText {
  push(chunk: Uint8Array): Uint8Array;
}

type State = 'text' | 'tag' | 'quoted' | 'comment' | 'cdata' | 'entity';

export function createXmlText(): XmlText {
  let state: State = 'text';
  let quote = 0;
  /** The current tag's bytes seen so far (name and the start of the attributes), up to MAX_NAME. */
  let tag = '';
  let tagLength = 0;
  let entity = '';
  /** Depth inside w:rPr (formatting elements there are run-level too). */
  let inRunProperties = 0;
  /** The separator owed before the next text: 0 none, 0x09 tab, 0x0a newline. */
  let owed = 0;
  let special = '';

  function closeTag(): void {
    const text = tag;
    tag = '';
    tagLength = 0;
    if (text.startsWith('?') || text.startsWith('!')) return;
    const closing = text.startsWith('/');
    const selfClosing = text.endsWith('/');
    let name = (closing ? text.slice(1) : text).split(/[\s/>]/, 1)[0] ?? '';
    const colon = name.indexOf(':');
    if (colon >= 0) name = name.slice(colon + 1);
    if (name === 'rPr') {
      if (closing) inRunProperties = Math.max(0, inRunProperties - 1);
      else if (!selfClosing) inRunProperties++;
      return;
    }
    if (inRunProperties > 0 || JOINING.has(name)) return;
    if (LINE_ENDING.has(name) && (closing || selfClosing)) owed = 0x0a;
    else if (owed === 0) owed = 0x09;
  }

  return {
    push(chunk) {
      const out = Buffer.allocUnsafe(chunk.length * 3 + 16);
      let o = 0;
      const emit = (c: number): void => {
        if (owed !== 0) {
          out[o++] = owed;
          owed = 0;
        }
        out[o++] = c;
      };
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i] as number;
        switch (state) {
          case 'text':
            if (c === 0x3c) state = 'tag';
            else if (c === 0x26) {
              state = 'entity';
              entity = '';
            } else emit(c);
            break;
          case 'entity':
            if (c === 0x3b || entity.length >= MAX_ENTITY) {
              state = 'text';
              const decoded = decodeEntity(entity);
              if (decoded === undefined || c !== 0x3b) {
                for (const b of Buffer.from(`&${entity}${c === 0x3b ? ';' : ''}`, 'utf8')) emit(b);
                if (c !== 0x3b) i--;
              } else for (const b of Buffer.from(decoded, 'utf8')) emit(b);
            } else if (c === 0x3c || c === 0x26) {
              for (const b of Buffer.from(`&${entity}`, 'utf8')) emit(b);
              state = 'text';
              i--;
            } else entity += String.fromCharCode(c);
            break;
          case 'tag':
            if (tagLength === 0 && c === 0x21) special = '!';
            if (c === 0x3e) {
              state = 'text';
              closeTag();
              special = '';
            } else if (c === 0x22 || c === 0x27) {
              quote = c;
              state = 'quoted';
            } else {
              if (tagLength < MAX_NAME) tag += String.fromCharCode(c);
              tagLength++;
              if (special === '!' && tag === '!--') {
                state = 'comment';
                special = '';
              } else if (special === '!' && tag === '![CDATA[') {
                state = 'cdata';
                special = '';
                tag = '';
                tagLength = 0;
              }
            }
            break;
          case 'quoted':
            if (c === quote) state = 'tag';
            break;
          case 'comment':
            // Ends at "-->": the last two bytes seen are kept in `special`.
            if (c === 0x3e && special === '--') {
              state = 'text';
              tag = '';
              tagLength = 0;
              special = '';
            } else special = (special + String.fromCharCode(c)).slice(-2);
            break;
          case 'cdata':
            // Text up to "]]>"; the last two bytes are held back until it is clear they are not the terminator.
            if (c === 0x3e && special === ']]') {
              state = 'text';
              special = '';
            } else if (special.length === 2) {
              emit(special.charCodeAt(0));
              special = special[1] + String.fromCharCode(c);
            } else special += String.fromCharCode(c);
            break;
        }
      }
      return out.subarray(0, o);
    },
  };
}

function decodeEntity(name: string): string | undefined {
  if (name.startsWith('#')) {
    const code =
      name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    if (!Number.isInteger(code) || code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
      return undefined;
    return String.fromCodePoint(code);
  }
  return ENTITIES[name];
}
