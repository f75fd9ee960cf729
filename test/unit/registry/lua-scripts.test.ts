// Every Redis script is a .lua file opening with its contract (KEYS, ARGV, Output), and builds no key names:
// every key a command touches comes from KEYS (Redis Cluster routes by them and refuses keys of other slots).
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const folders = ['registry/scripts', 'ledger/scripts'];
const files = folders.flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.lua'))
    .map((name) => path.join(dir, name)),
);

/** Commands whose first argument is not a key. */
const keyless = new Set(['TIME', 'PUBLISH']);

/** The key argument of every redis.call/pcall: the text between the command name and the next comma or ')'. */
function keyArguments(source: string): { command: string; key: string }[] {
  const calls = source.matchAll(/redis\.p?call\(\s*["']([A-Za-z]+)["']\s*(?:,\s*([^,)]*))?/g);
  return [...calls].map((m) => ({ command: (m[1] ?? '').toUpperCase(), key: (m[2] ?? '').trim() }));
}

describe('Redis scripts (.lua files)', () => {
  it('exist in the rooms of their stores', () => {
    expect(files.filter((f) => f.startsWith('registry/')).length).to.be.greaterThan(0);
    expect(files.filter((f) => f.startsWith('ledger/')).length).to.be.greaterThan(0);
  });

  for (const file of files) {
    describe(file, () => {
      const source = readFileSync(file, 'utf8');
      const header = /^--\[\[\n([\s\S]*?)\n\]\]\n/.exec(source)?.[1] ?? '';

      it('opens with a header naming its KEYS, ARGV and output', () => {
        expect(header, 'a --[[ ... ]] block at the top').to.not.equal('');
        expect(header).to.match(/KEYS\[1\]/);
        if (/ARGV\[/.test(source.slice(header.length))) expect(header).to.match(/ARGV\[1\]/);
        expect(header).to.match(/Output:/);
      });

      it('touches only keys passed in KEYS (no key built from ARGV or by concatenation)', () => {
        const body = source.slice(source.indexOf(']]') + 2);
        for (const { command, key } of keyArguments(body)) {
          if (keyless.has(command)) continue;
          const where = `${command} ${key}`;
          expect(key, where).to.not.equal('');
          expect(key, where).to.not.match(/ARGV|\.\.|["']/);
          // A name, not KEYS[...], is a local or parameter: never bound to ARGV or a concatenation.
          if (!/^KEYS\[[^\]]+\]$/.test(key)) {
            expect(body, `${where}: ${key} is bound to KEYS only`).to.not.match(
              new RegExp(`\\b${key}\\s*=\\s*[^=\\n]*(ARGV|\\.\\.)`),
            );
          }
        }
      });
    });
  }
});
