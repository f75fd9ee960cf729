import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import {
  generateWebhookSecret,
  parseWebhookSecret,
  signWebhook,
} from '../../../platform/webhook-signature.js';

describe('platform/webhook-signature (Standard Webhooks)', () => {
  it('generates whsec_ secrets of 32 random bytes that parse back', () => {
    const secret = generateWebhookSecret();
    expect(secret).to.match(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).to.have.length(32);
    expect(parseWebhookSecret(secret)).to.deep.equal({ ok: true, secret });
  });

  it('refuses secrets without the prefix, with bad base64, or of the wrong length', () => {
    expect(parseWebhookSecret('abc').ok).to.equal(false);
    expect(parseWebhookSecret('whsec_not base64!').ok).to.equal(false);
    expect(parseWebhookSecret(`whsec_${Buffer.alloc(16).toString('base64')}`)).to.deep.include({ ok: false });
    expect(parseWebhookSecret(`whsec_${Buffer.alloc(65).toString('base64')}`)).to.deep.include({ ok: false });
    expect(parseWebhookSecret(`whsec_${Buffer.alloc(24, 1).toString('base64')}`).ok).to.equal(true);
  });

  it('signs so the reference implementation verifies, and the id and timestamp are the ones given', () => {
    const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
    const at = new Date();
    const body = '{"type":"transfer.held","data":{"transferId":"01J0000000000000000000000A"}}';
    const headers = signWebhook(secret, 'msg_abc', at, body);
    expect(headers['webhook-id']).to.equal('msg_abc');
    expect(headers['webhook-timestamp']).to.equal(String(Math.floor(at.getTime() / 1000)));
    expect(headers['webhook-signature']).to.match(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).to.deep.equal(JSON.parse(body));
    expect(() => new Webhook(secret).verify(`${body} `, { ...headers })).to.throw();
  });
});
