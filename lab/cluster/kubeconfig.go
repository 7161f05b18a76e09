package cluster

import (
	"fmt"
	"os"
)

// writeKubeconfig writes a kubeconfig for one client certificate of the
// lab's PKI (files below p.dir) and server.
func (p *pki) writeKubeconfig(path, server, cert string) error {
	text := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: ipflab
  cluster:
    server: %s
    certificate-authority: %s
users:
- name: %s
  user:
    client-certificate: %s
    client-key: %s
contexts:
- name: ipflab
  context:
    cluster: ipflab
    user: %s
current-context: ipflab
`, server, p.path("ca.crt"), cert, p.path(cert+".crt"), p.path(cert+".key"), cert)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		return fmt.Errorf("kubeconfig: %w", err)
	}
	return nil
}
