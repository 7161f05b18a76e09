package cli

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
)

var update = flag.Bool("update", false, "rewrite the expected files of testdata/golden")

// goldenDir holds one directory per case:
//
//	args            the command line, one argument per line; without it the
//	                case runs the KRM function on input.yaml (below)
//	env             KEY=VALUE lines; VALUE @FILE reads FILE of the case
//	stdin           for KRM cases: stdin as is, instead of the ResourceList
//	                made of input.yaml and fnconfig.yaml
//	input.yaml      the input objects; for KRM cases they become the items
//	                of the ResourceList, annotated with their path and index
//	                as kpt does
//	fnconfig.yaml   for KRM cases: the functionConfig
//	expected.yaml   the expected stdout (absent: stdout must be empty)
//	expected.stderr the expected stderr, then "exit status N" when the exit
//	                status is not 0 (absent: stderr empty, exit 0)
//
// The command runs in the case directory. go test ./fn/... -update
// rewrites the expected files.
const goldenDir = "../../testdata/golden"

func TestGolden(t *testing.T) {
	cases, err := os.ReadDir(goldenDir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		n++
		t.Run(c.Name(), func(t *testing.T) {
			dir, err := filepath.Abs(filepath.Join(goldenDir, c.Name()))
			if err != nil {
				t.Fatal(err)
			}
			stdout, stderr := runCase(t, dir)
			compare(t, filepath.Join(dir, "expected.yaml"), stdout)
			compare(t, filepath.Join(dir, "expected.stderr"), stderr)
		})
	}
	if n == 0 {
		t.Fatal("no golden cases found")
	}
}

// runCase runs the case in dir and returns its stdout and its stderr with
// the exit status appended.
func runCase(t *testing.T, dir string) (string, string) {
	t.Chdir(dir)
	env := map[string]string{}
	if data, err := os.ReadFile("env"); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			k, v, _ := strings.Cut(line, "=")
			if file, ok := strings.CutPrefix(v, "@"); ok {
				b, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				v = string(b)
			}
			env[k] = v
		}
	}
	var args []string
	var stdin []byte
	if data, err := os.ReadFile("args"); err == nil {
		args = strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	} else if data, err := os.ReadFile("stdin"); err == nil {
		stdin = data
	} else {
		stdin = resourceList(t)
	}
	var stdout, stderr bytes.Buffer
	code := Main(Env{
		Args:      args,
		Stdin:     bytes.NewReader(stdin),
		Stdout:    &stdout,
		Stderr:    &stderr,
		LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		Version:   "test",
	})
	if code != 0 {
		fmt.Fprintf(&stderr, "exit status %d\n", code)
	}
	return stdout.String(), stderr.String()
}

// resourceList wraps input.yaml (and fnconfig.yaml) into a ResourceList
// the way kpt does.
func resourceList(t *testing.T) []byte {
	rl := &kfn.ResourceList{FunctionConfig: kfn.NewEmptyKubeObject()}
	data, err := os.ReadFile("input.yaml")
	if err != nil {
		t.Fatal(err)
	}
	objs, err := kfn.ParseKubeObjects(data)
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range objs {
		if o.GetAnnotation(kioutil.PathAnnotation) == "" {
			_ = o.SetAnnotation(kioutil.PathAnnotation, "input.yaml")
			_ = o.SetAnnotation(kioutil.IndexAnnotation, fmt.Sprint(i))
		}
		rl.Items = append(rl.Items, o)
	}
	if data, err := os.ReadFile("fnconfig.yaml"); err == nil {
		if rl.FunctionConfig, err = kfn.ParseKubeObject(data); err != nil {
			t.Fatal(err)
		}
	}
	out, err := rl.ToYAML()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// compare checks got against the file (absent means empty), or rewrites
// the file with -update.
func compare(t *testing.T, file, got string) {
	t.Helper()
	if *update {
		if got == "" {
			if err := os.Remove(file); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			return
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got); rerun with -update if intended:\n%s", filepath.Base(file), diff)
	}
}
