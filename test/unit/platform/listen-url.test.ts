import { expect } from 'chai';
import { listenUrl } from '../../../platform/listen-url.js';

describe('listenUrl (the URL a process prints for where it listens)', () => {
  it('names the bind address, not loopback, when the server listens on one address of the host', () => {
    expect(listenUrl('http', '10.20.30.11', 8080)).to.equal('http://10.20.30.11:8080');
    expect(listenUrl('https', '10.20.30.1', 8443, 'localhost')).to.equal('https://10.20.30.1:8443');
    expect(listenUrl('http', 'fd00::11', 9464)).to.equal('http://[fd00::11]:9464');
    expect(listenUrl('http', '::1', 9464)).to.equal('http://[::1]:9464');
  });

  it('names this machine for every interface and for 127.0.0.1: by default 127.0.0.1, or the name given', () => {
    expect(listenUrl('http', '127.0.0.1', 8080)).to.equal('http://127.0.0.1:8080');
    expect(listenUrl('http', '0.0.0.0', 8080)).to.equal('http://127.0.0.1:8080');
    expect(listenUrl('http', '::', 8080)).to.equal('http://127.0.0.1:8080');
    expect(listenUrl('https', '127.0.0.1', 8443, 'localhost')).to.equal('https://localhost:8443');
  });
});
