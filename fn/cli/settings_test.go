package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
)

func TestApplySettings(t *testing.T) {
	const agentImage = "mirror.example.com/ipfailover-node:v0.1.0"
	tests := []struct {
		name          string
		env           map[string]string
		meta, spec    string // metadata lines after name, spec lines
		wantNamespace string
		wantImage     string
	}{
		{name: "no settings", spec: "virtualIPs: [192.0.2.10]"},
		{
			name:          "namespace from the sidecar env",
			env:           map[string]string{EnvNamespace: "sidecar"},
			wantNamespace: "sidecar",
		},
		{
			name:          "the Application's env beats the sidecar's",
			env:           map[string]string{EnvNamespace: "sidecar", EnvArgoPrefix + EnvNamespace: "app", EnvArgoAppNamespace: "dest"},
			wantNamespace: "app",
		},
		{
			name:          "destination namespace as the last resort",
			env:           map[string]string{EnvArgoAppNamespace: "dest"},
			wantNamespace: "dest",
		},
		{
			name:          "a namespace in the spec wins",
			env:           map[string]string{EnvArgoPrefix + EnvNamespace: "app"},
			meta:          "namespace: own",
			wantNamespace: "own",
		},
		{
			name:          "a namespace of the wrong type is left to validation",
			env:           map[string]string{EnvNamespace: "sidecar"},
			meta:          "namespace: [own]",
			wantNamespace: "",
		},
		{
			name:      "agent image by default",
			env:       map[string]string{EnvArgoPrefix + EnvAgentImage: agentImage},
			wantImage: agentImage,
		},
		{
			name:      "agent image for target Agent",
			env:       map[string]string{EnvAgentImage: agentImage},
			spec:      "target: Agent",
			wantImage: agentImage,
		},
		{
			name: "no agent image for Keepalived",
			env:  map[string]string{EnvAgentImage: agentImage},
			spec: "target: Keepalived",
		},
		{
			name:      "an image in the spec wins",
			env:       map[string]string{EnvAgentImage: agentImage},
			spec:      "image: own:v1",
			wantImage: "own:v1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := "apiVersion: ipfailover.failoverkit.io/v1alpha1\nkind: IPFailover\nmetadata:\n  name: a\n"
			if tt.meta != "" {
				text += "  " + tt.meta + "\n"
			}
			text += "spec:\n  virtualIPs: [192.0.2.10]\n"
			if tt.spec != "" && !strings.HasPrefix(tt.spec, "virtualIPs") {
				text += "  " + tt.spec + "\n"
			}
			objs, err := kfn.ParseKubeObjects([]byte(text + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n"))
			if err != nil {
				t.Fatal(err)
			}
			applySettings(objs, mapLookup(tt.env))
			if got := objs[0].GetNamespace(); got != tt.wantNamespace {
				t.Errorf("namespace = %q, want %q", got, tt.wantNamespace)
			}
			if got, _, _ := objs[0].NestedString("spec", "image"); got != tt.wantImage {
				t.Errorf("image = %q, want %q", got, tt.wantImage)
			}
			if got := objs[1].GetNamespace(); got != "" {
				t.Errorf("a ConfigMap got namespace %q: only IPFailovers take settings", got)
			}
		})
	}
}

// TestFilesModeSettings runs the files mode with the settings and checks
// that they reach the rendered objects, and that the KRM mode ignores them.
func TestFilesModeSettings(t *testing.T) {
	dir := t.TempDir()
	spec := "apiVersion: ipfailover.failoverkit.io/v1alpha1\nkind: IPFailover\nmetadata:\n  name: a\nspec:\n  virtualIPs: [192.0.2.10]\n"
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	env := mapLookup(map[string]string{
		EnvArgoPrefix + EnvNamespace:  "app-ns",
		EnvArgoPrefix + EnvAgentImage: "mirror.example.com/node:v1",
	})
	var stdout, stderr bytes.Buffer
	code := Main(Env{Args: []string{dir}, Stdout: &stdout, Stderr: &stderr, LookupEnv: env})
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"namespace: app-ns", "image: mirror.example.com/node:v1"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// Without the settings the namespace is missing, and the error names
	// the field.
	stdout.Reset()
	stderr.Reset()
	code = Main(Env{Args: []string{dir}, Stdout: &stdout, Stderr: &stderr, LookupEnv: mapLookup(nil)})
	if code != ExitError || stdout.Len() != 0 || !strings.Contains(stderr.String(), "metadata.namespace") {
		t.Errorf("without settings: exit %d, stdout %q, stderr %q; want exit 1, no output, an error on metadata.namespace", code, stdout.String(), stderr.String())
	}
}

func mapLookup(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}
