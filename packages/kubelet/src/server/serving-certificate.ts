// The kubelet's serving certificate when none is configured: like the kubelet's own
// (kubelet.crt under its cert dir), a throwaway CA "<host>-ca@<unix time>" signing a certificate
// "<host>@<unix time>" for the node's names and addresses. Nobody is expected to trust it; the
// apiserver only verifies kubelets when given --kubelet-certificate-authority.
import { createCa, issueCertificate, type CertificateAndKey } from '@k8ts/pki';

export interface ServingNames {
  dnsNames: string[];
  ipAddresses: string[];
}

/** The certificate (followed by its CA, as the kubelet writes its chain) and key. */
export async function selfSignedServingCertificate(host: string, names: ServingNames, now: Date): Promise<CertificateAndKey> {
  const stamp = Math.floor(now.getTime() / 1000);
  const ca = await createCa(`${host}-ca@${stamp}`, now);
  const leaf = await issueCertificate(ca, { commonName: `${host}@${stamp}`, dnsNames: names.dnsNames, ipAddresses: names.ipAddresses, usages: ['server'], now });
  return { certPem: `${leaf.certPem.trimEnd()}\n${ca.certPem}`, keyPem: leaf.keyPem };
}
