package argocd_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/util/app/discovery"
	"github.com/argoproj/argo-cd/v3/util/cmp"
	"github.com/argoproj/gitops-engine/pkg/utils/kube"
	grpc_retry "github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/retry"
	"google.golang.org/protobuf/types/known/emptypb"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// application is what the repo-server knows of an Application when it
// asks a plugin for manifests.
type application struct {
	name      string // metadata.name
	namespace string // spec.destination.namespace
	path      string // spec.source.path, relative to the repository
	// plugin is spec.source.plugin: nil or without a name, the plugin is
	// found by discovery.
	plugin *v1alpha1.ApplicationSourcePlugin
}

// environ returns the environment the repo-server sends with a manifest
// request, built as reposerver/repository does it (newEnv,
// getPluginEnvs): the build variables, KUBE_VERSION and
// KUBE_API_VERSIONS, then each plugin env entry as ARGOCD_ENV_<name> with
// the build variables substituted, then the parameters.
func (a application) environ() ([]string, error) {
	const revision = "0123456789abcdef0123456789abcdef01234567"
	build := v1alpha1.Env{
		{Name: "ARGOCD_APP_NAME", Value: a.name},
		{Name: "ARGOCD_APP_NAMESPACE", Value: a.namespace},
		{Name: "ARGOCD_APP_PROJECT_NAME", Value: "default"},
		{Name: "ARGOCD_APP_REVISION", Value: revision},
		{Name: "ARGOCD_APP_REVISION_SHORT", Value: revision[:7]},
		{Name: "ARGOCD_APP_REVISION_SHORT_8", Value: revision[:8]},
		{Name: "ARGOCD_APP_SOURCE_REPO_URL", Value: "https://git.example.com/gitops.git"},
		{Name: "ARGOCD_APP_SOURCE_PATH", Value: a.path},
		{Name: "ARGOCD_APP_SOURCE_TARGET_REVISION", Value: "HEAD"},
	}
	env := append(build.Environ(), "KUBE_VERSION=1.32.4", "KUBE_API_VERSIONS=v1,apps/v1,batch/v1,rbac.authorization.k8s.io/v1")
	if a.plugin == nil {
		return env, nil
	}
	for _, e := range a.plugin.Env {
		env = append(env, fmt.Sprintf("ARGOCD_ENV_%s=%s", e.Name, build.Envsubst(e.Value)))
	}
	params, err := a.plugin.Parameters.Environ()
	if err != nil {
		return nil, err
	}
	return append(env, params...), nil
}

// generate asks the plugins for the manifests of app in the repository
// checked out at repo, as the repo-server's runConfigManagementPluginSidecars
// does: detect the plugin (by name, or by discovery), check its
// configuration, stream the repository, split the manifests. Errors read
// as the repo-server reports them.
func generate(ctx context.Context, repo string, app application) ([]*unstructured.Unstructured, error) {
	env, err := app.environ()
	if err != nil {
		return nil, err
	}
	appPath := filepath.Join(repo, app.path)
	name := ""
	if app.plugin != nil {
		name = app.plugin.Name
	}
	conn, client, err := discovery.DetectConfigManagementPlugin(ctx, appPath, repo, name, env, nil)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if _, err := client.CheckPluginConfiguration(ctx, &emptypb.Empty{}); err != nil {
		return nil, fmt.Errorf("error calling cmp-server checkPluginConfiguration: %w", err)
	}
	stream, err := client.GenerateManifest(ctx, grpc_retry.Disable())
	if err != nil {
		return nil, fmt.Errorf("error getting generateManifestStream: %w", err)
	}
	if err := cmp.SendRepoStream(stream.Context(), appPath, repo, stream, env, nil); err != nil {
		return nil, fmt.Errorf("error generating manifests in cmp: error sending file to cmp-server: %w", err)
	}
	resp, err := stream.CloseAndRecv()
	if err != nil {
		return nil, fmt.Errorf("error generating manifests in cmp: %w", err)
	}
	var objs []*unstructured.Unstructured
	for _, m := range resp.Manifests {
		split, err := kube.SplitYAML([]byte(m))
		if err != nil {
			return nil, fmt.Errorf("failed to convert CMP manifests to unstructured objects: %w", err)
		}
		objs = append(objs, split...)
	}
	return objs, nil
}

// appType is the source type the repo-server gives an application
// directory without spec.source.plugin: "plugin" when a plugin's discovery
// matches, else the built-in type (Kustomize, Helm, Directory).
func appType(ctx context.Context, repo string, app application) (string, error) {
	env, err := app.environ()
	if err != nil {
		return "", err
	}
	return discovery.AppType(ctx, filepath.Join(repo, app.path), repo, map[string]bool{}, nil, env)
}

// newRepo makes a repository checkout in a temporary directory: the
// product's examples (copied) and the given files (path: content).
func newRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	repo := t.TempDir()
	if err := os.CopyFS(filepath.Join(repo, "examples"), os.DirFS(filepath.Join(repoRoot, "examples"))); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		p := filepath.Join(repo, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return repo
}

// summary lists objects as "Kind namespace/name" lines.
func summary(objs []*unstructured.Unstructured) string {
	var b strings.Builder
	for _, o := range objs {
		fmt.Fprintf(&b, "%s %s/%s\n", o.GetKind(), o.GetNamespace(), o.GetName())
	}
	return b.String()
}
