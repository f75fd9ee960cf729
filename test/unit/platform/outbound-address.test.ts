import { expect } from 'chai';
import {
  checkAddress,
  classifyAddress,
  parseCidr,
  parseCidrList,
  type AddressClass,
  type Cidr,
} from '../../../platform/outbound-address.js';

const nets = (text: string): readonly Cidr[] => {
  const parsed = parseCidrList(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.nets;
};

describe('platform/outbound-address', () => {
  describe('classifyAddress: every special-purpose range, at its edges', () => {
    const table: [address: string, expected: AddressClass][] = [
      // unspecified / "this network"
      ['0.0.0.0', 'unspecified'],
      ['0.255.255.255', 'unspecified'],
      ['::', 'unspecified'],
      // loopback
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['::1', 'loopback'],
      // RFC 1918 and unique local
      ['10.0.0.0', 'private'],
      ['10.255.255.255', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['fc00::1', 'private'],
      ['fd12:3456::1', 'private'],
      ['fec0::1', 'private'],
      ['64:ff9b:1::a', 'private'],
      // link-local
      ['169.254.0.1', 'link_local'],
      ['169.254.255.255', 'link_local'],
      ['fe80::1', 'link_local'],
      ['febf::1', 'link_local'],
      ['fe80::1%eth0', 'link_local'],
      // CGNAT
      ['100.64.0.0', 'cgnat'],
      ['100.127.255.255', 'cgnat'],
      // cloud metadata
      ['169.254.169.254', 'metadata'],
      ['100.100.100.200', 'metadata'],
      ['fd00:ec2::254', 'metadata'],
      // multicast, broadcast
      ['224.0.0.1', 'multicast'],
      ['239.255.255.255', 'multicast'],
      ['ff02::1', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      // documentation, benchmarking, reserved
      ['192.0.2.10', 'documentation'],
      ['198.51.100.1', 'documentation'],
      ['203.0.113.200', 'documentation'],
      ['2001:db8::1', 'documentation'],
      ['198.18.0.1', 'benchmarking'],
      ['198.19.255.255', 'benchmarking'],
      ['192.0.0.192', 'reserved'],
      ['240.0.0.1', 'reserved'],
      ['2001::1', 'reserved'],
      ['100::1', 'reserved'],
      ['::a00:1', 'reserved'],
      ['4000::1', 'reserved'],
      // IPv4 inside IPv6: judged by the IPv4 address
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:7f00:1', 'loopback'],
      ['0:0:0:0:0:ffff:a9fe:a9fe', 'metadata'],
      ['::ffff:10.1.2.3', 'private'],
      ['64:ff9b::a9fe:a9fe', 'metadata'],
      ['64:ff9b::808:808', 'public'],
      ['2002:c0a8:0101::1', 'private'],
      ['2002:0808:0808::1', 'public'],
      ['::ffff:8.8.8.8', 'public'],
      // public, just outside the ranges
      ['8.8.8.8', 'public'],
      ['9.255.255.255', 'public'],
      ['11.0.0.0', 'public'],
      ['100.63.255.255', 'public'],
      ['100.128.0.0', 'public'],
      ['126.255.255.255', 'public'],
      ['128.0.0.0', 'public'],
      ['169.253.255.255', 'public'],
      ['172.15.255.255', 'public'],
      ['172.32.0.0', 'public'],
      ['192.167.255.255', 'public'],
      ['223.255.255.255', 'public'],
      ['2606:4700:4700::1111', 'public'],
      ['2400:3200::1', 'public'],
    ];
    for (const [address, expected] of table) {
      it(`${address} is ${expected}`, () => {
        expect(classifyAddress(address)).to.equal(expected);
      });
    }

    it('answers null for text that is not an IP address', () => {
      for (const text of ['', 'localhost', '1.2.3', '1.2.3.256', '::g', '[::1]', '01.2.3.4'])
        expect(classifyAddress(text), text).to.equal(null);
    });
  });

  describe('checkAddress: allowed nets open non-public addresses, and only those', () => {
    it('allows every public address with no allowed nets', () => {
      expect(checkAddress('8.8.8.8', [])).to.deep.equal({ ok: true, address: '8.8.8.8', class: 'public' });
    });

    it('refuses 127.0.0.1, 10.x, 169.254.169.254 and ::1 with no allowed nets, naming the class', () => {
      const refused = ['127.0.0.1', '10.2.3.4', '169.254.169.254', '::1'].map((a) => checkAddress(a, []));
      expect(refused.map((v) => [v.ok, v.class])).to.deep.equal([
        [false, 'loopback'],
        [false, 'private'],
        [false, 'metadata'],
        [false, 'loopback'],
      ]);
    });

    it('allows an address inside an allowed net and says which', () => {
      const allowed = nets('10.0.0.0/8,::1/128');
      expect(checkAddress('10.2.3.4', allowed)).to.deep.include({ ok: true, allowedBy: '10.0.0.0/8' });
      expect(checkAddress('::1', allowed)).to.deep.include({ ok: true, allowedBy: '::1/128' });
      expect(checkAddress('127.0.0.1', allowed).ok).to.equal(false);
      expect(checkAddress('11.0.0.0', allowed)).to.deep.include({ ok: true, class: 'public' });
    });

    it('matches IPv4-mapped addresses against IPv4 nets, and refuses them when no net covers the IPv4', () => {
      expect(checkAddress('::ffff:127.0.0.1', nets('127.0.0.0/8')).ok).to.equal(true);
      expect(checkAddress('::ffff:10.0.0.1', nets('127.0.0.0/8'))).to.deep.include({
        ok: false,
        class: 'private',
      });
    });

    it('refuses text that is not an address', () => {
      expect(checkAddress('localhost', nets('127.0.0.0/8'))).to.deep.equal({
        ok: false,
        address: 'localhost',
        class: 'invalid',
      });
    });
  });

  describe('parseCidr / parseCidrList (XBORDER_ENDPOINT_ALLOWED_NETS)', () => {
    it('reads IPv4 and IPv6 networks and bare addresses', () => {
      const list = nets(' 127.0.0.0/8 ,fd00::/8, 10.1.2.3 , ::1');
      expect(list.map((n) => [n.text, n.family, n.prefix])).to.deep.equal([
        ['127.0.0.0/8', 4, 8],
        ['fd00::/8', 6, 8],
        ['10.1.2.3', 4, 32],
        ['::1', 6, 128],
      ]);
      expect(nets('')).to.deep.equal([]);
      expect(parseCidr('0.0.0.0/0').ok).to.equal(true);
    });

    const bad: [string, RegExp][] = [
      ['10.0.0.1/8', /host bits set/],
      ['10.0.0.0/33', /prefix length above 32/],
      ['::/129', /prefix length above 128/],
      ['10.0.0.0/x', /not a number/],
      ['10.0.0.0/8/8', /not an IP network/],
      ['localhost', /not an IP network/],
      ['10.0.0.0/8,', /empty entry/],
    ];
    for (const [text, message] of bad) {
      it(`refuses "${text}"`, () => {
        const parsed = parseCidrList(text);
        expect(parsed.ok).to.equal(false);
        expect(parsed.ok ? '' : parsed.message).to.match(message);
      });
    }
  });
});
