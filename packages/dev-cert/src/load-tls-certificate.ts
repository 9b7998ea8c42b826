import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from 'selfsigned';

export interface TlsCertificate {
  key: string;
  cert: string;
  /** Where the pair came from, for the start-up log line. */
  source: 'user' | 'generated' | 'cached';
  certFile: string;
}

export interface TlsCertificateOptions {
  /** A user's own certificate (e.g. from mkcert); both or neither. */
  certFile?: string | undefined;
  keyFile?: string | undefined;
  /** Git-ignored folder for the generated development certificate. */
  devCertDir: string;
}

/** `<repo>/.certs`, the same folder from src/ and dist/, whichever package runs. */
export const defaultDevCertDir = fileURLToPath(new URL('../../../.certs/', import.meta.url));

const DEV_CERT_FILE = 'localhost.crt';
const DEV_KEY_FILE = 'localhost.key';
const VALID_DAYS = 365;
/** Regenerate when fewer than this many days remain, so a demo never dies mid-workshop. */
const RENEW_BEFORE_DAYS = 14;

/**
 * Returns the TLS key and certificate both dev servers use: the user's own pair when
 * configured, otherwise a self-signed one for localhost, 127.0.0.1 and ::1 created on
 * first run and reused until it nears expiry.
 */
export async function loadTlsCertificate(options: TlsCertificateOptions): Promise<TlsCertificate> {
  if (options.certFile || options.keyFile) {
    if (!options.certFile || !options.keyFile) {
      throw new Error(
        'TLS_CERT_FILE and TLS_KEY_FILE must be set together (or neither, for the generated dev certificate).',
      );
    }
    return {
      cert: readFileSync(options.certFile, 'utf8'),
      key: readFileSync(options.keyFile, 'utf8'),
      source: 'user',
      certFile: options.certFile,
    };
  }

  const certFile = join(options.devCertDir, DEV_CERT_FILE);
  const keyFile = join(options.devCertDir, DEV_KEY_FILE);
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile, 'utf8');
    if (isFresh(cert)) {
      return { cert, key: readFileSync(keyFile, 'utf8'), source: 'cached', certFile };
    }
  }

  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + VALID_DAYS * 86_400_000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  mkdirSync(options.devCertDir, { recursive: true });
  // Written atomically enough for two servers starting together: each write is whole.
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  writeFileSync(certFile, pems.cert);
  return { cert: pems.cert, key: pems.private, source: 'generated', certFile };
}

function isFresh(pem: string): boolean {
  try {
    const validTo = new Date(new X509Certificate(pem).validTo).getTime();
    return validTo - Date.now() > RENEW_BEFORE_DAYS * 86_400_000;
  } catch {
    return false;
  }
}
