package argocd_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/gitops-engine/pkg/utils/kube"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

const ipfailoverHeader = "apiVersion: ipfailover.failoverkit.io/v1alpha1\nkind: IPFailover\nmetadata:\n"

// Application directories the tests add to the repository.
var testApps = map[string]string{
	// No namespace: the plugin's settings or the destination supply it.
	"apps/no-namespace/ipfailover.yaml": ipfailoverHeader + "  name: nons\nspec:\n  virtualIPs: [192.0.2.120]\n",
	// A CIDR suffix on a VIP, and an unknown field.
	"apps/invalid/ipfailover.yaml": ipfailoverHeader + "  name: bad\n  namespace: ipfailover\nspec:\n  virtualIPs: [192.0.2.10/24]\n  replica: 2\n",
	// Plain manifests: Argo CD's directory type, not the plugin.
	"apps/plain/configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n",
}

func timeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// TestDiscovery checks which application directories the plugin claims
// when an Application names no plugin, as the repo-server classifies them.
func TestDiscovery(t *testing.T) {
	repo := newRepo(t, testApps)
	tests := []struct {
		path string
		want v1alpha1.ApplicationSourceType
	}{
		{"examples/argocd", v1alpha1.ApplicationSourceTypePlugin},
		{"examples/docs-example", v1alpha1.ApplicationSourceTypePlugin},
		{"examples/kpt", v1alpha1.ApplicationSourceTypePlugin},          // a rendered kpt package
		{"examples/kustomize", v1alpha1.ApplicationSourceTypeKustomize}, // kustomize's, with its exec generator
		{"examples/kustomize/kubectl", v1alpha1.ApplicationSourceTypeKustomize},
		{"apps/plain", v1alpha1.ApplicationSourceTypeDirectory},
		{"apps/invalid", v1alpha1.ApplicationSourceTypePlugin}, // claimed, so that generate reports the errors
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			got, err := appType(timeout(t), repo, application{name: "a", namespace: "ipfailover", path: tt.path})
			if err != nil {
				t.Fatal(err)
			}
			if got != string(tt.want) {
				t.Errorf("source type %q, want %q", got, tt.want)
			}
		})
	}
}

// TestPluginName checks that an Application can name the plugin, with its
// version, and that the name without the version is refused, as Argo CD
// refuses it.
func TestPluginName(t *testing.T) {
	repo := newRepo(t, testApps)
	app := application{name: "a", namespace: "ipfailover", path: "examples/argocd", plugin: &v1alpha1.ApplicationSourcePlugin{Name: pluginName}}
	if _, err := generate(timeout(t), repo, app); err != nil {
		t.Errorf("plugin %q: %v", pluginName, err)
	}
	app.plugin.Name = "ipfailover"
	if _, err := generate(timeout(t), repo, app); err == nil || !strings.Contains(err.Error(), "could not find cmp-server plugin") {
		t.Errorf("plugin name without the version: error %v, want could not find cmp-server plugin", err)
	}
}

// TestGenerateMatchesTheRenderer checks that what the plugin generates for
// the documentation's example is exactly the renderer's golden output.
func TestGenerateMatchesTheRenderer(t *testing.T) {
	repo := newRepo(t, nil)
	got, err := generate(timeout(t), repo, application{name: "docs", namespace: "default", path: "examples/docs-example"})
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile(filepath.Join(repoRoot, "testdata/golden/example-docs-example/expected.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := kube.SplitYAML(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the plugin's manifests differ from testdata/golden/example-docs-example/expected.yaml:\ngot:\n%swant:\n%s", summary(got), summary(want))
	}
}

// TestGenerateKptPackage checks that a kpt package rendered in place
// (examples/kpt, with generated/) gives each object once.
func TestGenerateKptPackage(t *testing.T) {
	repo := newRepo(t, nil)
	got, err := generate(timeout(t), repo, application{name: "db", namespace: "ipfailover", path: "examples/kpt"})
	if err != nil {
		t.Fatal(err)
	}
	want := "ServiceAccount ipfailover/db\nRoleBinding ipfailover/db-scc-privileged\nRoleBinding ipfailover/db-scc-hostnetwork\nDeployment ipfailover/db\n"
	if s := summary(got); s != want {
		t.Errorf("got\n%swant\n%s", s, want)
	}
}

// TestSettingsFromTheApplication checks the settings an Application passes
// in spec.source.plugin.env (ARGOCD_ENV_*), and the destination namespace
// as the namespace of last resort.
func TestSettingsFromTheApplication(t *testing.T) {
	repo := newRepo(t, testApps)
	const mirror = "mirror.example.com/failoverkit/ipfailover-node:v0.1.0"
	tests := []struct {
		name          string
		app           application
		wantNamespace string
		wantImage     string
	}{
		{
			name: "namespace and image from the plugin env",
			app: application{name: "a", namespace: "dest", path: "apps/no-namespace", plugin: &v1alpha1.ApplicationSourcePlugin{Env: v1alpha1.Env{
				{Name: "IPFAILOVER_NAMESPACE", Value: "from-env"},
				{Name: "IPFAILOVER_AGENT_IMAGE", Value: mirror},
			}}},
			wantNamespace: "from-env",
			wantImage:     mirror,
		},
		{
			name: "build variables in the env are substituted",
			app: application{name: "a", namespace: "dest", path: "apps/no-namespace", plugin: &v1alpha1.ApplicationSourcePlugin{Env: v1alpha1.Env{
				{Name: "IPFAILOVER_NAMESPACE", Value: "vips-$ARGOCD_APP_NAME"},
			}}},
			wantNamespace: "vips-a",
			wantImage:     "ghcr.io/failoverkit/ipfailover-node:v0.1.0",
		},
		{
			name:          "the destination namespace otherwise",
			app:           application{name: "a", namespace: "dest", path: "apps/no-namespace"},
			wantNamespace: "dest",
			wantImage:     "ghcr.io/failoverkit/ipfailover-node:v0.1.0",
		},
		{
			name: "the spec's namespace wins",
			app: application{name: "a", namespace: "dest", path: "examples/argocd", plugin: &v1alpha1.ApplicationSourcePlugin{Name: pluginName, Env: v1alpha1.Env{
				{Name: "IPFAILOVER_NAMESPACE", Value: "from-env"},
			}}},
			wantNamespace: "ipfailover",
			wantImage:     "ghcr.io/failoverkit/ipfailover-node:v0.1.0",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs, err := generate(timeout(t), repo, tt.app)
			if err != nil {
				t.Fatal(err)
			}
			if len(objs) == 0 {
				t.Fatal("no manifests")
			}
			for _, o := range objs {
				if o.GetNamespace() != tt.wantNamespace {
					t.Errorf("%s %s in namespace %q, want %q", o.GetKind(), o.GetName(), o.GetNamespace(), tt.wantNamespace)
				}
				if o.GetKind() == "Deployment" {
					if img := containerImage(t, o); img != tt.wantImage {
						t.Errorf("Deployment image %q, want %q", img, tt.wantImage)
					}
				}
			}
		})
	}
}

// TestInvalidSpec checks that an invalid spec fails the generation with a
// message a person can act on: each problem with its field path and
// reason, as Argo CD shows it in the Application's condition.
func TestInvalidSpec(t *testing.T) {
	repo := newRepo(t, testApps)
	objs, err := generate(timeout(t), repo, application{name: "bad", namespace: "ipfailover", path: "apps/invalid"})
	if err == nil {
		t.Fatalf("no error; manifests:\n%s", summary(objs))
	}
	msg := err.Error()
	for _, want := range []string{
		"`ipfailover-render .` failed exit status 1",
		`IPFailover/bad spec.virtualIPs[0]: "192.0.2.10/24": CIDR suffixes are not VIPs`,
		`IPFailover/bad spec.replica`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "function failure") {
		t.Errorf("the error is the SDK's generic message:\n%s", msg)
	}
	t.Logf("Argo CD shows: %s", msg)
}

// containerImage returns the image of the first container of a
// Deployment.
func containerImage(t *testing.T, o *unstructured.Unstructured) string {
	t.Helper()
	containers, _, err := unstructured.NestedSlice(o.Object, "spec", "template", "spec", "containers")
	if err != nil || len(containers) == 0 {
		t.Fatalf("Deployment %s: no containers (%v)", o.GetName(), err)
	}
	img, _, _ := unstructured.NestedString(containers[0].(map[string]any), "image")
	return img
}
