import { expect } from 'chai';
import { createLruCache } from '../../../certs/lru-cache.js';

describe('certs/lru-cache', () => {
  it('keeps at most its capacity, forgetting the least recently stored entry first', () => {
    const cache = createLruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.size).to.equal(2);
    expect(cache.get('a')).to.equal(undefined);
    expect(cache.get('b')).to.equal(2);
    expect(cache.get('c')).to.equal(3);
  });

  it('counts a read as a use: the entry read last survives the next eviction', () => {
    const cache = createLruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).to.equal(1);
    cache.set('c', 3);
    expect(cache.get('a')).to.equal(1);
    expect(cache.get('b')).to.equal(undefined);
  });

  it('replaces the value of a key stored again, without growing', () => {
    const cache = createLruCache<string, boolean>(2);
    cache.set('a', true);
    cache.set('a', false);
    expect(cache.size).to.equal(1);
    expect(cache.get('a')).to.equal(false);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => createLruCache(0)).to.throw(RangeError);
    expect(() => createLruCache(1.5)).to.throw(RangeError);
  });
});
