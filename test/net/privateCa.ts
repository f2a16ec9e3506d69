// A private certificate authority and a server certificate it signs, made fresh for a test: the
// shape of a TLS-inspecting proxy's CA (not in any trust store) or an internal service's.
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface PrivateCa {
  /** The CA certificate, PEM: what a user would put in NODE_EXTRA_CA_CERTS. */
  caPem: string;
  /** A server certificate for the given names, signed by the CA, and its key (PEM). */
  serverCertPem: string;
  serverKeyPem: string;
}

function keyPair(): {
  forgePublic: forge.pki.PublicKey;
  forgePrivate: forge.pki.rsa.PrivateKey;
  pkcs8: string;
} {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    forgePublic: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    forgePrivate: forge.pki.privateKeyFromPem(
      privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    ) as forge.pki.rsa.PrivateKey,
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** dnsNames and ips go into the server certificate's subjectAltName. */
export function makePrivateCa({
  dnsNames = ['localhost'],
  ips = ['127.0.0.1'],
}: { dnsNames?: string[]; ips?: string[] } = {}): PrivateCa {
  const now = Date.now();
  const ca = keyPair();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.forgePublic;
  caCert.serialNumber = '01';
  caCert.validity.notBefore = new Date(now - 60_000);
  caCert.validity.notAfter = new Date(now + 24 * 3_600_000);
  const caName = [
    { name: 'commonName', value: 'Test Inspecting Proxy CA' },
    { name: 'organizationName', value: 'NHS Auth Explorer tests' },
  ];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.forgePrivate, forge.md.sha256.create());

  const leaf = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = leaf.forgePublic;
  cert.serialNumber = '02';
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now + 24 * 3_600_000);
  cert.setSubject([{ name: 'commonName', value: dnsNames[0] ?? ips[0] ?? 'localhost' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    {
      name: 'subjectAltName',
      altNames: [...dnsNames.map((value) => ({ type: 2, value })), ...ips.map((ip) => ({ type: 7, ip }))],
    },
  ]);
  cert.sign(ca.forgePrivate, forge.md.sha256.create());
  return {
    caPem: forge.pki.certificateToPem(caCert),
    serverCertPem: forge.pki.certificateToPem(cert),
    serverKeyPem: leaf.pkcs8,
  };
}
