package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestDiscover(t *testing.T) {
	const ipf = "apiVersion: ipfailover.failoverkit.io/v1alpha1\nkind: IPFailover\nmetadata:\n  name: a\n"
	const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n"
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"one spec", map[string]string{"ipfailover.yaml": ipf}, "ipfailover.yaml\n"},
		{"specs among other objects, nested", map[string]string{"a.yaml": cm, "sub/b.yml": cm + "---\n" + ipf, "c.yaml": ipf}, "c.yaml\nsub/b.yml\n"},
		{"no spec", map[string]string{"a.yaml": cm}, ""},
		{"a kustomization is kustomize's", map[string]string{"kustomization.yaml": "resources: []\n", "ipfailover.yaml": ipf}, ""},
		{"dot directories are skipped", map[string]string{".expected/a.yaml": ipf}, ""},
		{"unparsable files are skipped", map[string]string{"bad.yaml": "a: [\n", "ipfailover.yaml": ipf}, "ipfailover.yaml\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tt.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			t.Chdir(dir)
			for _, args := range [][]string{{"discover"}, {"discover", dir}} {
				var stdout, stderr bytes.Buffer
				code := Main(Env{Args: args, Stdout: &stdout, Stderr: &stderr, LookupEnv: mapLookup(nil)})
				if code != ExitOK || stdout.String() != tt.want {
					t.Errorf("%q: exit %d, stdout %q (stderr %q); want exit 0, stdout %q", args, code, stdout.String(), stderr.String(), tt.want)
				}
			}
		})
	}
}

func TestDiscoverErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want int
	}{
		{[]string{"discover", "a", "b"}, ExitUsage},
		{[]string{"discover", filepath.Join(t.TempDir(), "missing")}, ExitError},
	} {
		var stdout, stderr bytes.Buffer
		if code := Main(Env{Args: tt.args, Stdout: &stdout, Stderr: &stderr, LookupEnv: mapLookup(nil)}); code != tt.want || stderr.Len() == 0 {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and a message", tt.args, code, stderr.String(), tt.want)
		}
	}
}
