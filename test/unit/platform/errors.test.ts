import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { AppError, errorCatalogue, type ErrorCode } from '../../../platform/errors.js';

describe('platform/errors', () => {
  const doc = readFileSync('docs/errors.md', 'utf8');

  it('documents every catalogued code with its HTTP status in docs/errors.md', () => {
    for (const [code, entry] of Object.entries(errorCatalogue)) {
      expect(doc, code).to.match(new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${entry.status}\\s*\\|`));
    }
  });

  it('documents no code the catalogue does not have', () => {
    const documented = [...doc.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*\d{3}\s*\|/gm)].map((m) => m[1]);
    expect(documented.sort()).to.deep.equal(Object.keys(errorCatalogue).sort());
  });

  it('gives every code a status that matches its class (4xx client, 5xx server)', () => {
    for (const code of Object.keys(errorCatalogue) as ErrorCode[]) {
      const error = new AppError(code);
      expect(error.status).to.equal(errorCatalogue[code].status);
      expect(error.message).to.equal(errorCatalogue[code].message);
    }
    expect(new AppError('INTERNAL').status).to.equal(500);
  });
});
