// Creates the development certificate ahead of the servers, so the API and the web
// server, started together, cannot race to write two different ones.
import { resolve } from 'node:path';
import { defaultDevCertDir, loadTlsCertificate } from './load-tls-certificate.js';

const devCertDir = process.env.TLS_DEV_CERT_DIR ? resolve(process.env.TLS_DEV_CERT_DIR) : defaultDevCertDir;
const certificate = await loadTlsCertificate({
  certFile: process.env.TLS_CERT_FILE || undefined,
  keyFile: process.env.TLS_KEY_FILE || undefined,
  devCertDir,
});
console.log(`TLS certificate (${certificate.source}): ${certificate.certFile}`);
