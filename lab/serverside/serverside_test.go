package serverside

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/api/v1alpha1/schema"
	"github.com/failoverkit/ipfailover/internal/apicheck"
)

// root is the repository root, relative to this package.
const root = "../.."

// TestServerSide starts one standalone kube-apiserver, installs the CRD,
// and runs the server-side checks on it.
func TestServerSide(t *testing.T) {
	kubeconfig, c := startServer(t)
	render := buildRenderer(t)
	crd := readDocs(t, filepath.Join(root, schema.CRDFile))
	if len(crd) != 1 {
		t.Fatalf("%s holds %d objects, want 1", schema.CRDFile, len(crd))
	}
	ctx := context.Background()
	if err := c.Apply(ctx, crd[0]); err != nil {
		t.Fatalf("installing the CRD: %v", err)
	}
	if err := c.WaitServed(ctx, v1alpha1.APIVersion, v1alpha1.Kind, time.Minute); err != nil {
		t.Fatalf("installing the CRD: %v", err)
	}
	t.Run("RenderedOutputApplies", func(t *testing.T) { testRenderedOutputApplies(t, c, render) })
	t.Run("EmbeddedFieldRulesMatchTheServer", func(t *testing.T) { testEmbeddedFieldRules(t, c, render) })
	t.Run("RandomSpecsApply", func(t *testing.T) { testRandomSpecs(t, c, render) })
	t.Run("FuzzCorpusApplies", func(t *testing.T) { testFuzzCorpus(t, kubeconfig) })
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
func testRenderedOutputApplies(t *testing.T, c *apicheck.Client, render string) {
	ctx := context.Background()
	sources := gather(t, render)
	counts := map[string]int{}
	for _, s := range sources {
		for _, o := range s.objects {
			counts[o.Kind()]++
			if err := c.DryRun(ctx, o); err != nil {
				t.Errorf("%s: %v", s.name, err)
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
	objects []apicheck.Object
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
			var ipfs []apicheck.Object
			for _, o := range readDocs(t, f) {
				if o.Kind() == v1alpha1.Kind {
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

// readDocs reads the objects of a file as kubectl does.
func readDocs(t *testing.T, file string) []apicheck.Object {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return parseDocs(t, file, data)
}

// parseDocs reads a YAML stream as kubectl reads it (apicheck.ReadYAML:
// YAML 1.1, so that a string a YAML 1.1 reader takes for a boolean
// reaches the server as a boolean). A ResourceList contributes its items
// but local-config ones.
func parseDocs(t *testing.T, name string, data []byte) []apicheck.Object {
	t.Helper()
	objs, err := apicheck.ReadYAML(data)
	if err != nil {
		t.Errorf("%s: %v", rel(name), err)
	}
	var out []apicheck.Object
	for _, o := range objs {
		if o.Kind() != "ResourceList" {
			out = append(out, o)
			continue
		}
		items, _ := o["items"].([]any)
		for _, it := range items {
			m, _ := it.(map[string]any)
			if m == nil || apicheck.Object(m).Field("metadata", "annotations", "config.kubernetes.io/local-config") == "true" {
				continue
			}
			out = append(out, apicheck.Object(m))
		}
	}
	return out
}
