package apicheck

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// fakeServer answers like a kube-apiserver that serves core/v1 and apps/v1
// and records every request; reject maps a path to a status to refuse it
// with.
type fakeServer struct {
	requests []string
	reject   map[string]int
}

func (f *fakeServer) RoundTrip(req *http.Request) (*http.Response, error) {
	body := ""
	if req.Body != nil {
		b, _ := io.ReadAll(req.Body)
		body = string(b)
	}
	f.requests = append(f.requests, req.Method+" "+req.URL.RequestURI()+" "+req.Header.Get("Content-Type")+" "+body)
	code, out := http.StatusOK, "{}"
	switch {
	case req.Method == http.MethodGet && req.URL.Path == "/api/v1":
		out = `{"resources":[{"name":"namespaces","kind":"Namespace","namespaced":false},{"name":"configmaps","kind":"ConfigMap","namespaced":true},{"name":"namespaces/status","kind":"Namespace"}]}`
	case req.Method == http.MethodGet && req.URL.Path == "/apis/apps/v1":
		out = `{"resources":[{"name":"deployments","kind":"Deployment","namespaced":true}]}`
	case req.Method == http.MethodGet:
		code, out = http.StatusNotFound, `{"kind":"Status","message":"not found"}`
	case f.reject[req.URL.Path] != 0:
		code, out = f.reject[req.URL.Path], `{"kind":"Status","message":"Deployment.apps \"d\" is invalid: spec.template.spec.containers: Required value"}`
	}
	return &http.Response{StatusCode: code, Body: io.NopCloser(strings.NewReader(out)), Header: http.Header{}, Request: req}, nil
}

func newFake() (*fakeServer, *Client) {
	f := &fakeServer{reject: map[string]int{}}
	return f, New("https://api.example:6443/", &http.Client{Transport: f})
}

func deployment(ns string) Object {
	return Object{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "d", "namespace": ns}}
}

// TestDryRunSendsWhatKubectlSends checks the requests of a strict
// server-side dry run: discovery once per group version, the namespace
// created for real once, the object as an apply patch with dryRun=All.
func TestDryRunSendsWhatKubectlSends(t *testing.T) {
	f, c := newFake()
	ctx := context.Background()
	for range 2 {
		if err := c.DryRun(ctx, deployment("x")); err != nil {
			t.Fatal(err)
		}
	}
	cm := Object{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "c"}}
	if err := c.DryRun(ctx, cm); err != nil {
		t.Fatal(err)
	}
	const patch = "PATCH /apis/apps/v1/namespaces/x/deployments/d?dryRun=All&fieldManager=kubectl&fieldValidation=Strict application/apply-patch+yaml " +
		`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","namespace":"x"}}`
	want := []string{
		"GET /apis/apps/v1  ",
		"GET /api/v1  ",
		"PATCH /api/v1/namespaces/x?fieldManager=kubectl&fieldValidation=Strict application/apply-patch+yaml " +
			`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}`,
		patch,
		patch,
		"PATCH /api/v1/namespaces/default?fieldManager=kubectl&fieldValidation=Strict application/apply-patch+yaml " +
			`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}`,
		"PATCH /api/v1/namespaces/default/configmaps/c?dryRun=All&fieldManager=kubectl&fieldValidation=Strict application/apply-patch+yaml " +
			`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}`,
	}
	if !slices.Equal(f.requests, want) {
		t.Errorf("requests:\n%s\nwant:\n%s", strings.Join(f.requests, "\n"), strings.Join(want, "\n"))
	}
}

func TestApplyIsNoDryRun(t *testing.T) {
	f, c := newFake()
	if err := c.Apply(context.Background(), Object{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "n"}}); err != nil {
		t.Fatal(err)
	}
	last := f.requests[len(f.requests)-1]
	if !strings.HasPrefix(last, "PATCH /api/v1/namespaces/n?fieldManager=kubectl&fieldValidation=Strict ") {
		t.Errorf("Apply sent %s", last)
	}
}

func TestRejectionCarriesTheServersMessage(t *testing.T) {
	f, c := newFake()
	f.reject["/apis/apps/v1/namespaces/x/deployments/d"] = http.StatusUnprocessableEntity
	err := c.DryRun(context.Background(), deployment("x"))
	var rej *RejectedError
	if !errors.As(err, &rej) {
		t.Fatalf("got %v, want a *RejectedError", err)
	}
	const want = `the API server refuses Deployment x/d (422): Deployment.apps "d" is invalid: spec.template.spec.containers: Required value`
	if err.Error() != want || rej.Code != 422 {
		t.Errorf("got %q (code %d), want %q", err, rej.Code, want)
	}
}

func TestUnservedKinds(t *testing.T) {
	for _, tt := range []struct {
		obj  Object
		want string
	}{
		{Object{"apiVersion": "apps/v1", "kind": "Dep", "metadata": map[string]any{"name": "d"}}, `Dep d: the API server serves no kind "Dep" in "apps/v1"`},
		{Object{"apiVersion": "example.com/v9", "kind": "X", "metadata": map[string]any{"name": "d"}}, "X d: the API server does not serve example.com/v9 (404)"},
		{Object{"apiVersion": "a/b/c", "kind": "X"}, `X : apiVersion "a/b/c" is not GROUP/VERSION or VERSION`},
	} {
		_, c := newFake()
		err := c.DryRun(context.Background(), tt.obj)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%v: got %v, want %s", tt.obj, err, tt.want)
		}
		if errors.As(err, new(*RejectedError)) {
			t.Errorf("%v: %v is no refusal of the object", tt.obj, err)
		}
	}
}

func TestWaitServedIsBounded(t *testing.T) {
	_, c := newFake()
	ctx := context.Background()
	if err := c.WaitServed(ctx, "apps/v1", "Deployment", RequestTimeout); err != nil {
		t.Fatal(err)
	}
	err := c.WaitServed(ctx, "example.com/v1", "X", 600_000_000) // 600ms
	if err == nil || !strings.Contains(err.Error(), "example.com/v1 X was not served within 600ms") {
		t.Errorf("got %v", err)
	}
}
