package check

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
)

// bodyLimit bounds how much of an answer's body is read (and dropped).
const bodyLimit = 4096

// HTTP sends a GET to URL; an answer with a status from Min to Max means
// healthy. Like curl without -L and a Kubernetes httpGet probe it follows
// no redirect, and unlike curl it uses no proxy. Every run opens a fresh
// connection (no keep-alive), so a server that stops accepting fails the
// next run. https verifies the server's certificate against the system's
// CA bundle unless Insecure.
type HTTP struct {
	URL      string
	Min, Max int
	Insecure bool
	client   *http.Client
}

// NewHTTP returns the check of url; statuses min..max pass.
func NewHTTP(url string, min, max int, insecure bool) *HTTP {
	tr := &http.Transport{
		Proxy:                  nil,
		DisableKeepAlives:      true,
		TLSClientConfig:        &tls.Config{InsecureSkipVerify: insecure}, //nolint:gosec // the spec's explicit opt-out
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &HTTP{URL: url, Min: min, Max: max, Insecure: insecure, client: &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Check sends the GET; ctx bounds the whole exchange.
func (c *HTTP) Check(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.URL, nil)
	if err != nil {
		return fmt.Errorf("http check of %s: %w", c.URL, err)
	}
	req.Header.Set("User-Agent", "ipfailover-node")
	resp, err := c.client.Do(req)
	if err != nil {
		return fmt.Errorf("http check: %w", err) // names the method and URL
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, bodyLimit))
	resp.Body.Close()
	if resp.StatusCode < c.Min || resp.StatusCode > c.Max {
		return fmt.Errorf("http check of %s: status %d, want %d-%d", c.URL, resp.StatusCode, c.Min, c.Max)
	}
	return nil
}

func (c *HTTP) String() string {
	s := fmt.Sprintf("http GET %s, status %d-%d", c.URL, c.Min, c.Max)
	if c.Insecure {
		s += ", certificate not verified"
	}
	return s
}
