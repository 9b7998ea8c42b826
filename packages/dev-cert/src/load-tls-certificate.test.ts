import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTlsCertificate } from './load-tls-certificate.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-cert-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadTlsCertificate', () => {
  it('creates a sha256 certificate for localhost, 127.0.0.1 and ::1, then reuses it', async () => {
    const devCertDir = tempDir();
    const first = await loadTlsCertificate({ devCertDir });
    expect(first.source).toBe('generated');
    const x509 = new X509Certificate(first.cert);
    expect(x509.subjectAltName).toContain('DNS:localhost');
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(x509.subjectAltName?.toLowerCase()).toMatch(/ip address:(0:0:0:0:0:0:0:1|::1)/);
    expect(x509.checkHost('localhost')).toBe('localhost');
    expect(x509.checkIP('::1')).toBe('::1');
    expect(x509.publicKey.asymmetricKeyType).toBe('ec');

    const second = await loadTlsCertificate({ devCertDir });
    expect(second.source).toBe('cached');
    expect(second.cert).toBe(first.cert);
  });

  it("uses the user's own pair when both files are given", async () => {
    const generated = await loadTlsCertificate({ devCertDir: tempDir() });
    const own = await loadTlsCertificate({
      certFile: generated.certFile,
      keyFile: generated.certFile.replace(/\.crt$/, '.key'),
      devCertDir: tempDir(),
    });
    expect(own.source).toBe('user');
    expect(own.cert).toBe(generated.cert);
  });

  it('refuses half a configuration with a message naming both variables', async () => {
    await expect(loadTlsCertificate({ certFile: '/nope.crt', devCertDir: tempDir() })).rejects.toThrow(
      /TLS_CERT_FILE and TLS_KEY_FILE/,
    );
  });
});
