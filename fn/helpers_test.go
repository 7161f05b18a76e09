package fn

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
)

// update is accepted so that "go test ./fn/... -update" works for every
// package; the golden files are rewritten by package fn/cli.
var _ = flag.Bool("update", false, "rewrite golden files (see package fn/cli)")

// parse reads YAML objects.
func parse(t testing.TB, text string) kfn.KubeObjects {
	t.Helper()
	objs, err := kfn.ParseKubeObjects([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// ipfailover is an IPFailover named name in namespace ns with the given
// spec body (YAML, indented by two spaces under "spec:").
func ipfailover(name, ns, spec string) string {
	return "apiVersion: ipfailover.failoverkit.io/v1alpha1\nkind: IPFailover\nmetadata:\n  name: " + name +
		"\n  namespace: " + ns + "\nspec:\n" + indent(spec, "  ")
}

func indent(s, by string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = by + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// exampleObjects reads every YAML file of examples/<name>.
func exampleObjects(t testing.TB, name string) kfn.KubeObjects {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "examples", name, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("example %s: no YAML files (%v)", name, err)
	}
	var objs kfn.KubeObjects
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		objs = append(objs, parse(t, string(data))...)
	}
	return objs
}

// exampleNames lists the directories of examples/.
func exampleNames(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("..", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	return names
}

// findings lists results as "severity field: message" lines.
func findings(results kfn.Results) []string {
	var out []string
	for _, r := range results {
		field := ""
		if r.Field != nil {
			field = r.Field.Path
		}
		out = append(out, string(r.Severity)+" "+field+": "+r.Message)
	}
	return out
}

// expectFindings fails t unless got holds exactly the findings want lists
// (each "severity field: substring of the message", see containsFinding).
func expectFindings(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d findings, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for _, w := range want {
		if !containsFinding(got, w) {
			t.Errorf("missing %q in:\n%s", w, strings.Join(got, "\n"))
		}
	}
}
