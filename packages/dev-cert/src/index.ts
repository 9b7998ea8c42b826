export {
  defaultDevCertDir,
  loadTlsCertificate,
  type TlsCertificate,
  type TlsCertificateOptions,
} from './load-tls-certificate.js';
