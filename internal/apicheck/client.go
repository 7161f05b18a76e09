package apicheck

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// FuzzKubeconfigEnv names the kubeconfig of the API server that the fuzz
// targets of package fn send what the renderer accepts to (unset: they
// check local invariants only). lab/serverside and make fuzz-server set it.
const FuzzKubeconfigEnv = "IPFAILOVER_FUZZ_KUBECONFIG"

// RequestTimeout bounds every request to the API server.
const RequestTimeout = 30 * time.Second

// FieldManager is the field manager kubectl apply --server-side uses.
const FieldManager = "kubectl"

// maxResponse bounds how much of a response is read.
const maxResponse = 16 << 20

// Client sends objects to one API server. It is safe for concurrent use.
type Client struct {
	server           string
	hc               *http.Client
	token            string
	defaultNamespace string

	// mu guards resources and namespaces.
	mu sync.Mutex
	// resources maps an apiVersion to its kinds' resources, from
	// discovery.
	resources map[string]map[string]Resource
	// namespaces holds the namespaces known to exist.
	namespaces map[string]bool
}

// New returns a client for the API server at server (a URL such as
// https://127.0.0.1:6443) that sends its requests through hc, which
// carries the credentials (Load builds one from a kubeconfig).
func New(server string, hc *http.Client) *Client {
	return &Client{
		server:           strings.TrimRight(server, "/"),
		hc:               hc,
		defaultNamespace: "default",
		resources:        map[string]map[string]Resource{},
		namespaces:       map[string]bool{},
	}
}

// Server is the API server's URL.
func (c *Client) Server() string { return c.server }

// Resource is one resource of an API group version, as discovery lists it.
type Resource struct {
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Namespaced bool   `json:"namespaced"`
}

// RejectedError is the API server's refusal of a request: its status code
// and message.
type RejectedError struct {
	// Object names what was sent ("Deployment ns/name"), if anything.
	Object  string
	Code    int
	Message string
}

func (e *RejectedError) Error() string {
	if e.Object == "" {
		return fmt.Sprintf("the API server refuses (%d): %s", e.Code, e.Message)
	}
	return fmt.Sprintf("the API server refuses %s (%d): %s", e.Object, e.Code, e.Message)
}

// Do sends one request, bounded by RequestTimeout, and returns the status
// code and the body.
func (c *Client) Do(ctx context.Context, method, path, contentType string, body []byte) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, RequestTimeout)
	defer cancel()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.server+path, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, c.server+path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: reading the response: %w", method, c.server+path, err)
	}
	return resp.StatusCode, data, nil
}

// Apply applies obj for real, as kubectl apply --server-side
// --validate=strict does.
func (c *Client) Apply(ctx context.Context, obj Object) error {
	return c.apply(ctx, obj, false)
}

// DryRun sends obj as kubectl apply --server-side --dry-run=server
// --validate=strict sends it: the server validates and admits it, and
// stores nothing. A namespace obj names that does not exist yet is
// created for real first. A refusal is a *RejectedError with the
// server's message.
func (c *Client) DryRun(ctx context.Context, obj Object) error {
	return c.apply(ctx, obj, true)
}

func (c *Client) apply(ctx context.Context, obj Object, dryRun bool) error {
	res, err := c.Resource(ctx, obj.APIVersion(), obj.Kind())
	if err != nil {
		return fmt.Errorf("%s: %w", obj, err)
	}
	path := groupVersionPath(obj.APIVersion())
	if res.Namespaced {
		ns := obj.Namespace()
		if ns == "" {
			ns = c.defaultNamespace
		}
		if err := c.EnsureNamespace(ctx, ns); err != nil {
			return fmt.Errorf("%s: %w", obj, err)
		}
		path += "/namespaces/" + url.PathEscape(ns)
	}
	path += "/" + res.Name + "/" + url.PathEscape(obj.Name())
	q := url.Values{"fieldManager": {FieldManager}, "fieldValidation": {"Strict"}}
	if dryRun {
		q.Set("dryRun", "All")
	}
	body, err := json.Marshal(obj)
	if err != nil {
		return fmt.Errorf("%s: %w", obj, err)
	}
	code, resp, err := c.Do(ctx, http.MethodPatch, path+"?"+q.Encode(), "application/apply-patch+yaml", body)
	if err != nil {
		return err
	}
	if code != http.StatusOK && code != http.StatusCreated {
		return rejected(obj.String(), code, resp)
	}
	return nil
}

// rejected reads the Status of a refusal.
func rejected(what string, code int, body []byte) error {
	var st struct {
		Message string `json:"message"`
	}
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &st) == nil && st.Message != "" {
		msg = st.Message
	}
	return &RejectedError{Object: what, Code: code, Message: msg}
}

// EnsureNamespace creates namespace ns for real unless it is known to
// exist (a dry run in a namespace that does not exist fails).
func (c *Client) EnsureNamespace(ctx context.Context, ns string) error {
	c.mu.Lock()
	known := c.namespaces[ns]
	c.mu.Unlock()
	if known {
		return nil
	}
	obj := Object{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": ns}}
	if err := c.apply(ctx, obj, false); err != nil {
		return fmt.Errorf("creating namespace %s: %w", ns, err)
	}
	c.mu.Lock()
	c.namespaces[ns] = true
	c.mu.Unlock()
	return nil
}

// groupVersionPath is the URL path of an apiVersion: /api/v1 for the core
// group, /apis/GROUP/VERSION for the others.
func groupVersionPath(apiVersion string) string {
	if strings.Contains(apiVersion, "/") {
		return "/apis/" + apiVersion
	}
	return "/api/" + apiVersion
}

// Resource finds the resource of kind in apiVersion by discovery (once per
// apiVersion).
func (c *Client) Resource(ctx context.Context, apiVersion, kind string) (Resource, error) {
	c.mu.Lock()
	kinds, ok := c.resources[apiVersion]
	c.mu.Unlock()
	if !ok {
		var err error
		if kinds, err = c.discover(ctx, apiVersion); err != nil {
			return Resource{}, err
		}
		c.mu.Lock()
		c.resources[apiVersion] = kinds
		c.mu.Unlock()
	}
	r, ok := kinds[kind]
	if !ok {
		return Resource{}, fmt.Errorf("the API server serves no kind %q in %q", kind, apiVersion)
	}
	return r, nil
}

func (c *Client) discover(ctx context.Context, apiVersion string) (map[string]Resource, error) {
	if apiVersion == "" || strings.Count(apiVersion, "/") > 1 {
		return nil, fmt.Errorf("apiVersion %q is not GROUP/VERSION or VERSION", apiVersion)
	}
	code, body, err := c.Do(ctx, http.MethodGet, groupVersionPath(apiVersion), "", nil)
	if err != nil {
		return nil, err
	}
	if code != http.StatusOK {
		return nil, fmt.Errorf("the API server does not serve %s (%d)", apiVersion, code)
	}
	var list struct {
		Resources []Resource `json:"resources"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("discovery of %s: %w", apiVersion, err)
	}
	kinds := map[string]Resource{}
	for _, r := range list.Resources {
		if !strings.Contains(r.Name, "/") { // not a subresource
			kinds[r.Kind] = r
		}
	}
	return kinds, nil
}

// WaitServed waits, for at most timeout, until discovery serves kind in
// apiVersion (a new CustomResourceDefinition takes a moment to be
// established).
func (c *Client) WaitServed(ctx context.Context, apiVersion, kind string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		c.mu.Lock()
		delete(c.resources, apiVersion)
		c.mu.Unlock()
		_, err := c.Resource(ctx, apiVersion, kind)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s %s was not served within %v: %w", apiVersion, kind, timeout, err)
		case <-tick.C:
		}
	}
}
