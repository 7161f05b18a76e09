package serverside

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	sigsyaml "sigs.k8s.io/yaml"
)

// root is the repository root, relative to this package.
const root = "../.."

// crdFile is the checked-in CustomResourceDefinition of IPFailover.
const crdFile = "deploy/crd/ipfailover.failoverkit.io_ipfailovers.yaml"

// TestServerSide starts one standalone kube-apiserver, installs the CRD,
// and runs the server-side checks on it.
func TestServerSide(t *testing.T) {
	srv := startServer(t)
	render := buildRenderer(t)
	c := &client{srv: srv, resources: map[string]map[string]resource{}}
	crd := readDocs(t, filepath.Join(root, crdFile))
	if len(crd) != 1 {
		t.Fatalf("%s holds %d objects, want 1", crdFile, len(crd))
	}
	if err := c.apply(context.Background(), crd[0], false); err != nil {
		t.Fatalf("installing the CRD: %v", err)
	}
	c.waitFor(t, "ipfailover.failoverkit.io/v1alpha1", "IPFailover")
	t.Run("RenderedOutputApplies", func(t *testing.T) { testRenderedOutputApplies(t, c, render) })
	t.Run("EmbeddedFieldRulesMatchTheServer", func(t *testing.T) { testEmbeddedFieldRules(t, c, render) })
	t.Run("RandomSpecsApply", func(t *testing.T) { testRandomSpecs(t, c, render) })
}

// testRenderedOutputApplies holds the renderer to its rule: anything it
// prints applies to a real API server, strictly. It sends every object of
// every example (its IPFailovers, and what the renderer makes of it) and
// of the expected output of every golden case that succeeds, as
// "kubectl apply --server-side --dry-run=server --validate=strict" sends
// it: read as kubectl reads YAML (sigs.k8s.io/yaml, YAML 1.1), a
// server-side apply patch with dryRun=All and fieldValidation=Strict. The
// IPFailovers among them validate against the installed CRD. Any
// rejection fails the test with the file, the object and the server's
// message.
func testRenderedOutputApplies(t *testing.T, c *client, render string) {
	ctx := context.Background()
	sources := gather(t, render)
	namespaces := map[string]bool{}
	for _, s := range sources {
		for _, o := range s.objects {
			if ns := o.namespace(); ns != "" {
				namespaces[ns] = true
			}
		}
	}
	for _, ns := range sortedKeys(namespaces) {
		c.namespace(t, ns)
	}
	counts := map[string]int{}
	for _, s := range sources {
		for _, o := range s.objects {
			counts[o.kind()]++
			if err := c.apply(ctx, o, true); err != nil {
				t.Errorf("%s: %s %s/%s: %v", s.name, o.kind(), o.namespace(), o.name(), err)
			}
		}
	}
	t.Logf("%d sources, objects by kind: %v", len(sources), counts)
	for _, kind := range []string{"IPFailover", "Deployment", "Job", "RoleBinding", "ServiceAccount", "ConfigMap"} {
		if counts[kind] == 0 {
			t.Errorf("no %s was checked: the sources are not what this test expects", kind)
		}
	}
}

// source is a file (or a rendered directory) and its objects.
type source struct {
	name    string
	objects []object
}

// gather collects what must apply: the objects of the examples, the
// renderer's output for each example directory (files mode; kustomize's
// expected build for the kustomize example), and the expected output of
// every golden case that succeeds.
func gather(t *testing.T, render string) []source {
	var out []source
	dirs, err := filepath.Glob(filepath.Join(root, "examples", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no examples (%v)", err)
	}
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.yaml"))
		for _, f := range files {
			var ipfs []object
			for _, o := range readDocs(t, f) {
				if o.kind() == "IPFailover" {
					ipfs = append(ipfs, o)
				}
			}
			out = append(out, source{name: rel(f), objects: ipfs})
		}
		if _, err := os.Stat(filepath.Join(dir, "kustomization.yaml")); err == nil {
			build := filepath.Join(dir, ".expected", "build.yaml")
			out = append(out, source{name: rel(build), objects: readDocs(t, build)})
			continue
		}
		out = append(out, source{name: "ipfailover-render " + rel(dir), objects: parseDocs(t, dir, runRenderer(t, render, dir))})
	}
	cases, err := filepath.Glob(filepath.Join(root, "testdata", "golden", "*", "expected.yaml"))
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases (%v)", err)
	}
	for _, f := range cases {
		stderr, _ := os.ReadFile(filepath.Join(filepath.Dir(f), "expected.stderr"))
		if bytes.Contains(stderr, []byte("exit status")) {
			continue // a failing case: its output is its input, unrendered
		}
		out = append(out, source{name: rel(f), objects: readDocs(t, f)})
	}
	return out
}

func rel(p string) string { return strings.TrimPrefix(filepath.ToSlash(p), "../../") }

// buildRenderer returns IPFLAB_RENDER (make test-lab builds it), else
// builds ipfailover-render from the product module.
func buildRenderer(t *testing.T) string {
	if bin := os.Getenv("IPFLAB_RENDER"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "ipfailover-render")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/render")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the renderer: %v\n%s", err, out)
	}
	return bin
}

// runRenderer renders a directory in files mode (the Argo CD plugin's
// generate command) and returns its stdout.
func runRenderer(t *testing.T, render, dir string) []byte {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, render, dir)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ipfailover-render %s: %v\n%s", dir, err, stderr.String())
	}
	return stdout.Bytes()
}

// object is one Kubernetes object, as JSON decodes it.
type object map[string]any

func (o object) str(path ...string) string {
	var v any = map[string]any(o)
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	s, _ := v.(string)
	return s
}

func (o object) kind() string       { return o.str("kind") }
func (o object) apiVersion() string { return o.str("apiVersion") }
func (o object) name() string       { return o.str("metadata", "name") }
func (o object) namespace() string  { return o.str("metadata", "namespace") }

// readDocs reads the objects of a file as kubectl does.
func readDocs(t *testing.T, file string) []object {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return parseDocs(t, file, data)
}

// parseDocs splits a YAML stream where kubectl does (a line starting
// with "---", k8s.io/apimachinery/pkg/util/yaml.YAMLReader) and converts
// each document to JSON as kubectl does (sigs.k8s.io/yaml, a YAML 1.1
// reader), so that a string a YAML 1.1 reader takes for a boolean reaches
// the server as a boolean. A ResourceList contributes its items but
// local-config ones; documents that are no object (a version line) are
// skipped.
func parseDocs(t *testing.T, name string, data []byte) []object {
	t.Helper()
	var out []object
	for _, doc := range splitDocs(data) {
		j, err := sigsyaml.YAMLToJSON(doc)
		if err != nil {
			t.Errorf("%s: kubectl could not read a document: %v", rel(name), err)
			continue
		}
		var o object
		if err := json.Unmarshal(j, &o); err != nil || o == nil || o.kind() == "" {
			continue
		}
		if o.kind() != "ResourceList" {
			out = append(out, o)
			continue
		}
		items, _ := o["items"].([]any)
		for _, it := range items {
			m, _ := it.(map[string]any)
			if m == nil || object(m).str("metadata", "annotations", "config.kubernetes.io/local-config") == "true" {
				continue
			}
			out = append(out, object(m))
		}
	}
	return out
}

func splitDocs(data []byte) [][]byte {
	var docs [][]byte
	var cur bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "---"); ok {
			if r := strings.TrimSpace(rest); r == "" || r[0] == '#' {
				if cur.Len() > 0 {
					docs = append(docs, slices.Clone(cur.Bytes()))
					cur.Reset()
				}
				continue
			}
		}
		cur.WriteString(line + "\n")
	}
	if cur.Len() > 0 {
		docs = append(docs, cur.Bytes())
	}
	return docs
}

// client applies objects the way kubectl apply --server-side does.
type client struct {
	srv *server
	// resources maps group/version to kind to its resource, from
	// discovery.
	resources map[string]map[string]resource
}

type resource struct {
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Namespaced bool   `json:"namespaced"`
}

// apply sends obj as a server-side apply patch with strict field
// validation (kubectl's --validate=strict), as a dry run when dryRun is
// true (kubectl's --dry-run=server).
func (c *client) apply(ctx context.Context, obj object, dryRun bool) error {
	res, err := c.resource(ctx, obj.apiVersion(), obj.kind())
	if err != nil {
		return err
	}
	path := "/apis/" + obj.apiVersion()
	if !strings.Contains(obj.apiVersion(), "/") {
		path = "/api/" + obj.apiVersion()
	}
	if res.Namespaced {
		path += "/namespaces/" + url.PathEscape(obj.namespace())
	}
	path += "/" + res.Name + "/" + url.PathEscape(obj.name())
	q := url.Values{"fieldManager": {"kubectl"}, "fieldValidation": {"Strict"}}
	if dryRun {
		q.Set("dryRun", "All")
	}
	body, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	code, resp, err := c.srv.Do(ctx, http.MethodPatch, path+"?"+q.Encode(), "application/apply-patch+yaml", body)
	if err != nil {
		return err
	}
	if code != http.StatusOK && code != http.StatusCreated {
		var st struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(resp, &st) == nil && st.Message != "" {
			return fmt.Errorf("rejected (%d): %s", code, st.Message)
		}
		return fmt.Errorf("rejected (%d): %s", code, resp)
	}
	return nil
}

// namespace creates a namespace (for real: a dry run in a namespace that
// does not exist fails).
func (c *client) namespace(t *testing.T, ns string) {
	t.Helper()
	obj := object{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": ns}}
	if err := c.apply(context.Background(), obj, false); err != nil {
		t.Fatalf("creating namespace %s: %v", ns, err)
	}
}

// resource finds the resource of a kind by discovery.
func (c *client) resource(ctx context.Context, apiVersion, kind string) (resource, error) {
	kinds, ok := c.resources[apiVersion]
	if !ok {
		path := "/apis/" + apiVersion
		if !strings.Contains(apiVersion, "/") {
			path = "/api/" + apiVersion
		}
		code, body, err := c.srv.Do(ctx, http.MethodGet, path, "", nil)
		if err != nil {
			return resource{}, err
		}
		if code != http.StatusOK {
			return resource{}, fmt.Errorf("the server does not serve %s (%d)", apiVersion, code)
		}
		var list struct {
			Resources []resource `json:"resources"`
		}
		if err := json.Unmarshal(body, &list); err != nil {
			return resource{}, err
		}
		kinds = map[string]resource{}
		for _, r := range list.Resources {
			if !strings.Contains(r.Name, "/") {
				kinds[r.Kind] = r
			}
		}
		c.resources[apiVersion] = kinds
	}
	r, ok := kinds[kind]
	if !ok {
		return resource{}, fmt.Errorf("the server serves no kind %s in %s", kind, apiVersion)
	}
	return r, nil
}

// waitFor waits, bounded, until discovery serves kind in apiVersion (a
// new CRD takes a moment to be established).
func (c *client) waitFor(t *testing.T, apiVersion, kind string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		delete(c.resources, apiVersion)
		_, err := c.resource(context.Background(), apiVersion, kind)
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the CRD's %s %s was not served within 60s: %v", apiVersion, kind, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
