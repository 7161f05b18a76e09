package apicheck

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testCert is a self-signed certificate and its key, PEM-encoded.
func testCert(t *testing.T) (cert, key []byte) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "admin"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(0, 0).Add(100 * 365 * 24 * time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

const kubeconfigTemplate = `apiVersion: v1
kind: Config
clusters:
- name: other
  cluster: {server: https://other.example}
- name: lab
  cluster:
    server: https://127.0.0.1:6443/
    CA
users:
- name: admin
  user:
    USER
contexts:
- name: lab
  context: {cluster: lab, user: admin, namespace: work}
current-context: lab
`

func TestLoad(t *testing.T) {
	cert, key := testCert(t)
	dir := t.TempDir()
	for name, data := range map[string][]byte{"ca.crt": cert, "admin.crt": cert, "admin.key": key} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	b64 := base64.StdEncoding.EncodeToString
	for _, tt := range []struct{ name, ca, user string }{
		{"data", "certificate-authority-data: " + b64(cert), "client-certificate-data: " + b64(cert) + "\n    client-key-data: " + b64(key)},
		{"files", "certificate-authority: ca.crt", "client-certificate: admin.crt\n    client-key: " + filepath.Join(dir, "admin.key")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".kubeconfig")
			text := strings.NewReplacer("CA", tt.ca, "USER", tt.user).Replace(kubeconfigTemplate)
			if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if c.Server() != "https://127.0.0.1:6443" || c.defaultNamespace != "work" {
				t.Errorf("server %q, namespace %q", c.Server(), c.defaultNamespace)
			}
			tc := c.hc.Transport.(*http.Transport).TLSClientConfig
			if tc.RootCAs == nil || len(tc.Certificates) != 1 || tc.InsecureSkipVerify {
				t.Errorf("TLS config: roots %v, %d certificates, insecure %v", tc.RootCAs != nil, len(tc.Certificates), tc.InsecureSkipVerify)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	cert, _ := testCert(t)
	b64 := base64.StdEncoding.EncodeToString(cert)
	for _, tt := range []struct{ name, text, want string }{
		{"no context", strings.NewReplacer("CA", "", "USER", "token: x", "current-context: lab", "current-context: gone").Replace(kubeconfigTemplate), `current-context "gone": no such context`},
		{"no cluster", strings.NewReplacer("CA", "", "USER", "token: x", "{cluster: lab,", "{cluster: lost,").Replace(kubeconfigTemplate), `context lab: no cluster "lost"`},
		{"bad CA", strings.NewReplacer("CA", "certificate-authority-data: "+base64.StdEncoding.EncodeToString([]byte("no pem")), "USER", "token: x").Replace(kubeconfigTemplate),
			"cluster lab: certificate-authority holds no PEM certificate"},
		{"missing file", strings.NewReplacer("CA", "certificate-authority: gone.crt", "USER", "token: x").Replace(kubeconfigTemplate), "cluster lab: certificate-authority: open "},
		{"certificate without key", strings.NewReplacer("CA", "", "USER", "client-certificate-data: "+b64).Replace(kubeconfigTemplate),
			"user admin: a client certificate needs its key, and a key its certificate"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "kubeconfig")
			if err := os.WriteFile(path, []byte(tt.text), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
				t.Errorf("got %v, want %q and the file's name", err, tt.want)
			}
		})
	}
}

func TestLoadToken(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kubeconfig")
	text := strings.NewReplacer("CA", "insecure-skip-tls-verify: true", "USER", "token: s3cret").Replace(kubeconfigTemplate)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var got string
	c.hc = &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		got = r.Header.Get("Authorization")
		return (&fakeServer{}).RoundTrip(r)
	})}
	if _, err := c.Resource(t.Context(), "apps/v1", "Deployment"); err != nil {
		t.Fatal(err)
	}
	if got != "Bearer s3cret" {
		t.Errorf("Authorization: %q", got)
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
