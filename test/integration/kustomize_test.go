package integration_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// kustomizeExpected is the expected output of every kustomize route of
// examples/kustomize.
const kustomizeExpected = "examples/kustomize/.expected/build.yaml"

// TestKustomizeExec builds examples/kustomize with standalone kustomize,
// which runs ipfailover-render as an exec KRM function (found on $PATH, as
// the example's annotation names it).
func TestKustomizeExec(t *testing.T) {
	k := kustomize(t)
	out := mustRun(t, repoRoot, nil, k, "build", "--enable-alpha-plugins", "--enable-exec", "examples/kustomize")
	compareExpected(t, kustomizeExpected, out)
}

// TestKubectlKustomizeLegacyPlugin builds examples/kustomize/kubectl with
// kubectl's built-in kustomize, which runs the legacy exec plugin that
// hack/install-kustomize-plugin.sh installs.
func TestKubectlKustomizeLegacyPlugin(t *testing.T) {
	kubectl := lookPath(t, "kubectl")
	home := installPlugin(t)
	out := mustRun(t, repoRoot, []string{"KUSTOMIZE_PLUGIN_HOME=" + home}, kubectl, "kustomize", "--enable-alpha-plugins", "examples/kustomize/kubectl")
	compareExpected(t, kustomizeExpected, out)
}

// TestKubectlKustomizeSkipsExecFunctions pins the trap the kubectl/
// variant exists for: on the annotated directory, kubectl kustomize (no
// --enable-exec) skips the generator without a word, even with the legacy
// plugin installed. Should kubectl learn exec functions, this test fails
// and the two variants can become one.
func TestKubectlKustomizeSkipsExecFunctions(t *testing.T) {
	kubectl := lookPath(t, "kubectl")
	home := installPlugin(t)
	r := run(t, repoRoot, []string{"KUSTOMIZE_PLUGIN_HOME=" + home}, kubectl, "kustomize", "--enable-alpha-plugins", "examples/kustomize")
	if r.err != nil {
		t.Fatalf("kubectl kustomize: %v\n%s", r.err, r.stderr)
	}
	if strings.Contains(r.stdout, "kind: Deployment") || !strings.Contains(r.stdout, "kind: Namespace") {
		t.Errorf("kubectl kustomize ran the exec function (or lost the resources); output:\n%s", r.stdout)
	}
}

// TestKustomizeVariantsAgree checks that the three IPFailovers of
// examples/kustomize (exec, kubectl, container) hold the same spec: they
// differ only in comments and the function annotation.
func TestKustomizeVariantsAgree(t *testing.T) {
	strip := regexp.MustCompile(`(?m)^#.*\n|  annotations:\n    config\.kubernetes\.io/function: \|\n(      .*\n)+`)
	var first string
	for i, f := range []string{"ipfailover.yaml", "kubectl/ipfailover.yaml", "container/ipfailover.yaml"} {
		data, err := os.ReadFile(filepath.Join(repoRoot, "examples/kustomize", f))
		if err != nil {
			t.Fatal(err)
		}
		spec := strip.ReplaceAllString(string(data), "")
		if i == 0 {
			first = spec
		} else if spec != first {
			t.Errorf("examples/kustomize/%s differs from ipfailover.yaml beyond the annotation:\n%s\nvs\n%s", f, spec, first)
		}
	}
	for _, f := range []string{"kustomization.yaml", "namespace.yaml"} {
		for _, v := range []string{"kubectl", "container"} {
			a, _ := os.ReadFile(filepath.Join(repoRoot, "examples/kustomize", f))
			b, _ := os.ReadFile(filepath.Join(repoRoot, "examples/kustomize", v, f))
			if strip.ReplaceAllString(string(a), "") != strip.ReplaceAllString(string(b), "") {
				t.Errorf("examples/kustomize/%s/%s differs from examples/kustomize/%s", v, f, f)
			}
		}
	}
}

// TestKustomizeErrors checks that a validation error reaches a person
// through each kustomize route: the field path and the reason on stderr,
// not just "couldn't execute function".
func TestKustomizeErrors(t *testing.T) {
	dir := t.TempDir()
	kustomization := "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ngenerators:\n- ipfailover.yaml\n"
	annotated := strings.Replace(invalidSpec, "  namespace: ipfailover\n",
		"  namespace: ipfailover\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ipfailover-render\n", 1)
	writeFile(t, filepath.Join(dir, "exec/kustomization.yaml"), kustomization)
	writeFile(t, filepath.Join(dir, "exec/ipfailover.yaml"), annotated)
	writeFile(t, filepath.Join(dir, "legacy/kustomization.yaml"), kustomization)
	writeFile(t, filepath.Join(dir, "legacy/ipfailover.yaml"), invalidSpec)

	t.Run("kustomize exec", func(t *testing.T) {
		r := run(t, dir, nil, kustomize(t), "build", "--enable-alpha-plugins", "--enable-exec", "exec")
		if r.err == nil {
			t.Fatalf("kustomize build succeeded:\n%s", r.stdout)
		}
		wantFindings(t, "kustomize's stderr", r.stderr)
	})
	t.Run("kubectl kustomize legacy plugin", func(t *testing.T) {
		kubectl := lookPath(t, "kubectl")
		r := run(t, dir, []string{"KUSTOMIZE_PLUGIN_HOME=" + installPlugin(t)}, kubectl, "kustomize", "--enable-alpha-plugins", "legacy")
		if r.err == nil {
			t.Fatalf("kubectl kustomize succeeded:\n%s", r.stdout)
		}
		wantFindings(t, "kubectl kustomize's stderr", r.stderr)
	})
}

// installPlugin installs the test's ipfailover-render as the legacy plugin
// into a fresh plugin home with hack/install-kustomize-plugin.sh, and
// returns the home.
func installPlugin(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	mustRun(t, repoRoot, nil, "hack/install-kustomize-plugin.sh", home, filepath.Join(binDir, "ipfailover-render"))
	if _, err := os.Stat(filepath.Join(home, "ipfailover.failoverkit.io/v1alpha1/ipfailover/IPFailover")); err != nil {
		t.Fatalf("the script did not install the plugin where kustomize looks: %v", err)
	}
	return home
}
