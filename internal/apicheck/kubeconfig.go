package apicheck

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	sigsyaml "sigs.k8s.io/yaml"
)

// kubeconfig is the part of a kubeconfig file (clientcmd's v1 Config) that
// Load reads.
type kubeconfig struct {
	Clusters []struct {
		Name    string `json:"name"`
		Cluster struct {
			Server        string `json:"server"`
			CA            string `json:"certificate-authority"`
			CAData        []byte `json:"certificate-authority-data"`
			Insecure      bool   `json:"insecure-skip-tls-verify"`
			TLSServerName string `json:"tls-server-name"`
		} `json:"cluster"`
	} `json:"clusters"`
	Users []struct {
		Name string `json:"name"`
		User struct {
			Cert     string `json:"client-certificate"`
			CertData []byte `json:"client-certificate-data"`
			Key      string `json:"client-key"`
			KeyData  []byte `json:"client-key-data"`
			Token    string `json:"token"`
		} `json:"user"`
	} `json:"users"`
	Contexts []struct {
		Name    string `json:"name"`
		Context struct {
			Cluster   string `json:"cluster"`
			User      string `json:"user"`
			Namespace string `json:"namespace"`
		} `json:"context"`
	} `json:"contexts"`
	CurrentContext string `json:"current-context"`
}

// Load returns a client for the current context of a kubeconfig file.
// File references (certificate-authority, client-certificate, client-key)
// are relative to the kubeconfig's directory, as kubectl reads them.
func Load(path string) (*Client, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	c, err := parseKubeconfig(data, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("kubeconfig %s: %w", path, err)
	}
	return c, nil
}

// parseKubeconfig builds a client from a kubeconfig's text; dir resolves
// relative file references.
func parseKubeconfig(data []byte, dir string) (*Client, error) {
	var kc kubeconfig
	if err := sigsyaml.Unmarshal(data, &kc); err != nil {
		return nil, err
	}
	ctxName := kc.CurrentContext
	if ctxName == "" && len(kc.Contexts) == 1 {
		ctxName = kc.Contexts[0].Name
	}
	var clusterName, userName, namespace string
	found := false
	for _, c := range kc.Contexts {
		if c.Name == ctxName {
			clusterName, userName, namespace, found = c.Context.Cluster, c.Context.User, c.Context.Namespace, true
		}
	}
	if !found {
		return nil, fmt.Errorf("current-context %q: no such context", ctxName)
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	server := ""
	found = false
	for _, c := range kc.Clusters {
		if c.Name != clusterName {
			continue
		}
		found = true
		server = strings.TrimRight(c.Cluster.Server, "/")
		tc.ServerName = c.Cluster.TLSServerName
		tc.InsecureSkipVerify = c.Cluster.Insecure
		ca, err := dataOrFile(c.Cluster.CAData, c.Cluster.CA, dir)
		if err != nil {
			return nil, fmt.Errorf("cluster %s: certificate-authority: %w", clusterName, err)
		}
		if ca != nil {
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(ca) {
				return nil, fmt.Errorf("cluster %s: certificate-authority holds no PEM certificate", clusterName)
			}
			tc.RootCAs = pool
		}
	}
	if !found {
		return nil, fmt.Errorf("context %s: no cluster %q", ctxName, clusterName)
	}
	if server == "" {
		return nil, fmt.Errorf("cluster %s: no server", clusterName)
	}
	token := ""
	for _, u := range kc.Users {
		if u.Name != userName {
			continue
		}
		cert, err := dataOrFile(u.User.CertData, u.User.Cert, dir)
		if err != nil {
			return nil, fmt.Errorf("user %s: client-certificate: %w", userName, err)
		}
		key, err := dataOrFile(u.User.KeyData, u.User.Key, dir)
		if err != nil {
			return nil, fmt.Errorf("user %s: client-key: %w", userName, err)
		}
		if (cert == nil) != (key == nil) {
			return nil, fmt.Errorf("user %s: a client certificate needs its key, and a key its certificate", userName)
		}
		if cert != nil {
			pair, err := tls.X509KeyPair(cert, key)
			if err != nil {
				return nil, fmt.Errorf("user %s: %w", userName, err)
			}
			tc.Certificates = []tls.Certificate{pair}
		}
		token = u.User.Token
	}
	hc := &http.Client{Transport: &http.Transport{
		TLSClientConfig:     tc,
		TLSHandshakeTimeout: RequestTimeout,
		MaxIdleConnsPerHost: 4,
	}}
	c := New(server, hc)
	c.token = token
	if namespace != "" {
		c.defaultNamespace = namespace
	}
	return c, nil
}

// dataOrFile returns data, else the contents of file (relative to dir),
// else nil when neither is set.
func dataOrFile(data []byte, file, dir string) ([]byte, error) {
	if len(data) > 0 {
		return data, nil
	}
	if file == "" {
		return nil, nil
	}
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return nil, errors.New(file + " is empty")
	}
	return b, nil
}
