package integration_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"
)

// renders is how often the tests render a package in a row: kpt's own
// example harness renders twice; three catches output that changes only
// from the second render on.
const renders = 3

// TestKptRenderExample renders examples/kpt from its source (generated/
// removed) with kpt fn render --allow-exec, three times: the first render
// must give exactly the checked-in package, and the others must change
// nothing.
func TestKptRenderExample(t *testing.T) {
	kpt := lookPath(t, "kpt")
	want := snapshot(t, filepath.Join(repoRoot, "examples/kpt"))
	pkg := filepath.Join(t.TempDir(), "kpt")
	copyDir(t, filepath.Join(repoRoot, "examples/kpt"), pkg)
	if err := os.RemoveAll(filepath.Join(pkg, "generated")); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= renders; i++ {
		mustRun(t, filepath.Dir(pkg), nil, kpt, "fn", "render", "--allow-exec", "kpt")
		if diff := cmp.Diff(want, snapshot(t, pkg)); diff != "" {
			t.Fatalf("render %d: the package differs from examples/kpt (-checked in +rendered); render examples/kpt and commit if intended:\n%s", i, diff)
		}
	}
}

// TestKptRenderRootPackage renders the repository's root package (the
// top-level Kptfile) with its example subpackage, three times: kpt renders
// the subpackage's pipeline, and nothing changes after the first render,
// the Kptfiles included.
func TestKptRenderRootPackage(t *testing.T) {
	kpt := lookPath(t, "kpt")
	root := filepath.Join(t.TempDir(), "ipfailover")
	data, err := os.ReadFile(filepath.Join(repoRoot, "Kptfile"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "Kptfile"), string(data))
	copyDir(t, filepath.Join(repoRoot, "examples/kpt"), filepath.Join(root, "examples/kpt"))
	want := snapshot(t, root)
	for i := 1; i <= renders; i++ {
		out := run(t, root, nil, kpt, "fn", "render", "--allow-exec")
		if out.err != nil {
			t.Fatalf("render %d: %v\n%s", i, out.err, out.stderr)
		}
		if !strings.Contains(out.stderr+out.stdout, `Package "ipfailover/examples/kpt"`) {
			t.Errorf("render %d did not render the subpackage:\n%s", i, out.stderr)
		}
		if diff := cmp.Diff(want, snapshot(t, root)); diff != "" {
			t.Fatalf("render %d changed the package (-before +after):\n%s", i, diff)
		}
	}
}

// TestKptEval runs the renderer imperatively with kpt fn eval --exec on a
// copy of examples/kpt, from its source: the result is the checked-in
// package.
func TestKptEval(t *testing.T) {
	kpt := lookPath(t, "kpt")
	want := snapshot(t, filepath.Join(repoRoot, "examples/kpt"))
	pkg := filepath.Join(t.TempDir(), "kpt")
	copyDir(t, filepath.Join(repoRoot, "examples/kpt"), pkg)
	if err := os.RemoveAll(filepath.Join(pkg, "generated")); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		mustRun(t, pkg, nil, kpt, "fn", "eval", ".", "--exec", "ipfailover-render")
		if diff := cmp.Diff(want, snapshot(t, pkg)); diff != "" {
			t.Fatalf("eval %d: the package differs from examples/kpt (-checked in +evaluated):\n%s", i, diff)
		}
	}
}

// functionResults is kpt's results file (kpt.dev/v1 FunctionResultList),
// reduced to what the tests read.
type functionResults struct {
	ExitCode int `json:"exitCode"`
	Items    []struct {
		Exec     string `json:"exec"`
		Image    string `json:"image"`
		ExitCode int    `json:"exitCode"`
		Results  []struct {
			Message     string `json:"message"`
			Severity    string `json:"severity"`
			ResourceRef struct {
				Kind string `json:"kind"`
				Name string `json:"name"`
			} `json:"resourceRef"`
			Field struct {
				Path string `json:"path"`
			} `json:"field"`
			File struct {
				Path string `json:"path"`
			} `json:"file"`
		} `json:"results"`
	} `json:"items"`
}

// TestKptResults checks that validation failures reach a person through
// kpt, for render and eval: kpt's output names each field and reason, and
// its results file holds each as an error result with the field path,
// resource and file; the package is left as it was.
func TestKptResults(t *testing.T) {
	kpt := lookPath(t, "kpt")
	for _, mode := range []string{"render", "eval"} {
		t.Run(mode, func(t *testing.T) {
			pkg := filepath.Join(t.TempDir(), "kpt")
			copyDir(t, filepath.Join(repoRoot, "examples/kpt"), pkg)
			writeFile(t, filepath.Join(pkg, "bad.yaml"), invalidSpec)
			before := snapshot(t, pkg)
			resultsDir := t.TempDir()
			args := []string{"fn", "render", "--allow-exec", "--results-dir", resultsDir, "."}
			if mode == "eval" {
				args = []string{"fn", "eval", ".", "--exec", "ipfailover-render", "--results-dir", resultsDir}
			}
			r := run(t, pkg, nil, kpt, args...)
			if r.err == nil {
				t.Fatalf("kpt fn %s succeeded:\n%s", mode, r.stderr)
			}
			wantFindings(t, "kpt's output", r.stdout+r.stderr)
			if diff := cmp.Diff(before, snapshot(t, pkg)); diff != "" {
				t.Errorf("the failed %s changed the package:\n%s", mode, diff)
			}
			data, err := os.ReadFile(filepath.Join(resultsDir, "results.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			var res functionResults
			if err := yaml.Unmarshal(data, &res); err != nil {
				t.Fatal(err)
			}
			if res.ExitCode != 1 || len(res.Items) != 1 {
				t.Fatalf("results: exit code %d, %d items; want 1 and 1:\n%s", res.ExitCode, len(res.Items), data)
			}
			fields := map[string]string{}
			for _, r := range res.Items[0].Results {
				if r.Severity == "error" {
					if r.ResourceRef.Kind != "IPFailover" || r.ResourceRef.Name != "bad" || r.File.Path != "bad.yaml" {
						t.Errorf("error result %q names %s/%s in %q, want IPFailover/bad in bad.yaml", r.Message, r.ResourceRef.Kind, r.ResourceRef.Name, r.File.Path)
					}
					fields[r.Field.Path] = r.Message
				}
			}
			for _, f := range invalidFindings {
				path, reason, _ := strings.Cut(f, ": ")
				if msg, ok := fields[path]; !ok || !strings.HasPrefix(msg, reason) {
					t.Errorf("no error result at %s with %q; results:\n%s", path, reason, data)
				}
			}
		})
	}
}

// proposedKrmignore are the .krmignore files kpt needs to render the
// repository's root package without touching anything but its
// subpackages: the root package reads every YAML file outside its
// subpackages (test fixtures, metadata.yaml, the other examples) and
// would rewrite or reject them, and the golden fixture package
// files-passthrough/pkg holds a non-KRM file on purpose. They are outside
// this change's paths; TestKptRenderRepository applies them to its copy
// when the repository lacks them.
var proposedKrmignore = map[string]string{
	".krmignore": "/*\n",
	"testdata/golden/files-passthrough/pkg/.krmignore": ".expected\n",
}

// TestKptRenderRepository renders a copy of the whole repository (its
// files, as git sees them) from the root, three times: every subpackage
// renders, and nothing changes.
func TestKptRenderRepository(t *testing.T) {
	kpt := lookPath(t, "kpt")
	git := lookPath(t, "git")
	list := run(t, repoRoot, nil, git, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	if list.err != nil {
		unavailable(t, "git ls-files: %v %s", list.err, list.stderr)
	}
	root := filepath.Join(t.TempDir(), "ipfailover")
	for _, f := range strings.Split(strings.TrimRight(list.stdout, "\x00"), "\x00") {
		data, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			continue // deleted in the work tree
		}
		writeFile(t, filepath.Join(root, f), string(data))
	}
	for f, text := range proposedKrmignore {
		if _, err := os.Stat(filepath.Join(repoRoot, f)); err != nil {
			t.Logf("NOTE: the repository has no %s; the copy gets the proposed one (%q)", f, text)
			writeFile(t, filepath.Join(root, f), text)
		}
	}
	want := snapshot(t, root)
	for i := 1; i <= renders; i++ {
		r := run(t, root, nil, kpt, "fn", "render", "--allow-exec")
		if r.err != nil {
			t.Fatalf("render %d: %v\n%s%s", i, r.err, r.stdout, r.stderr)
		}
		if diff := cmp.Diff(want, snapshot(t, root)); diff != "" {
			t.Fatalf("render %d changed the repository (-before +after):\n%s", i, diff)
		}
	}
}
