package argocd_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/argoproj/argo-cd/v3/common"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// sidecarImage is the local tag of the function image this test builds.
const sidecarImage = "localhost/failoverkit-test/ipfailover-render:test"

// TestSidecarImage runs argocd-cmp-server in the function image the way
// deploy/argocd/repo-server-patch.yaml runs the sidecar: its command, its
// user, read-only root and capabilities, and each of its volume mounts
// (var-files holding the server binary, the plugins socket directory,
// plugin.yaml from the ConfigMap, its own /tmp), in a network namespace
// of its own. The repo-server's calls then find the plugin by discovery,
// get the manifests, and get the field-level errors of an invalid spec.
func TestSidecarImage(t *testing.T) {
	skipWithoutDocker(t)
	build := exec.Command("hack/images.sh", "render", sidecarImage)
	build.Dir = repoRoot
	build.Env = append(os.Environ(), "VERSION=test")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("hack/images.sh render: %v\n%s", err, out)
	}
	c := sidecarContainer(t)

	// The sidecar's volumes, on the host. The socket directory must be
	// writable by the sidecar's user.
	dir, err := os.MkdirTemp("", "sidecar")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sockDir := filepath.Join(dir, "plugins")
	if err := os.Mkdir(sockDir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(sockDir, 0o777); err != nil {
		t.Fatal(err)
	}
	pluginYAML, err := filepath.Abs(filepath.Join(repoRoot, "deploy/argocd/plugin.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]string{
		"var-files":             binDir, // argocd-cmp-server, static
		"plugins":               sockDir,
		"ipfailover-cmp-plugin": pluginYAML,
	}

	name := fmt.Sprintf("ipf-cmp-sidecar-%d", os.Getpid())
	args := []string{"run", "-d", "--name", name, "--network", "none", "--entrypoint", c.Command[0]}
	args = append(args, securityFlags(t, c.SecurityContext)...)
	for _, m := range c.VolumeMounts {
		src, ok := sources[m.Name]
		switch {
		case ok:
			args = append(args, "--mount", fmt.Sprintf("type=bind,src=%s,dst=%s", src, m.MountPath))
		case m.Name == "ipfailover-cmp-tmp":
			args = append(args, "--tmpfs", m.MountPath+":rw,mode=1777")
		default:
			t.Fatalf("repo-server-patch.yaml mounts %s, which this test does not provide", m.Name)
		}
	}
	args = append(args, sidecarImage)
	args = append(append(args, c.Command[1:]...), c.Args...)
	if out, err := exec.Command("docker", args...).CombinedOutput(); err != nil {
		t.Fatalf("docker %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Cleanup(func() {
		if t.Failed() {
			out, _ := exec.Command("docker", "logs", name).CombinedOutput()
			t.Logf("sidecar log:\n%s", out)
		}
		_ = exec.Command("docker", "rm", "-f", name).Run()
	})
	if err := waitForSocket(filepath.Join(sockDir, pluginName+".sock"), 30*time.Second); err != nil {
		t.Fatal(err)
	}
	t.Setenv(common.EnvPluginSockFilePath, sockDir)

	repo := newRepo(t, testApps)
	objs, err := generate(timeout(t), repo, application{name: "api", namespace: "ipfailover", path: "examples/argocd"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summary(objs), "ServiceAccount ipfailover/api\nRoleBinding ipfailover/api-scc-privileged\nRoleBinding ipfailover/api-scc-hostnetwork\nDeployment ipfailover/api\n"; got != want {
		t.Errorf("generated\n%swant\n%s", got, want)
	}
	_, err = generate(timeout(t), repo, application{name: "bad", namespace: "ipfailover", path: "apps/invalid"})
	if err == nil || !strings.Contains(err.Error(), `IPFailover/bad spec.virtualIPs[0]: "192.0.2.10/24": CIDR suffixes are not VIPs`) {
		t.Errorf("invalid spec: error %v, want the field and the reason", err)
	}
}

// sidecarContainer reads the sidecar container from the repo-server patch.
func sidecarContainer(t *testing.T) corev1.Container {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "deploy/argocd/repo-server-patch.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var d appsv1.Deployment
	if err := yaml.UnmarshalStrict(data, &d); err != nil {
		t.Fatal(err)
	}
	for _, c := range d.Spec.Template.Spec.Containers {
		if c.Name == "ipfailover-cmp" {
			if len(c.Command) == 0 || c.SecurityContext == nil {
				t.Fatalf("the sidecar has no command or no security context: %+v", c)
			}
			return c
		}
	}
	t.Fatal("repo-server-patch.yaml has no container ipfailover-cmp")
	return corev1.Container{}
}

// securityFlags translates a container security context into docker run
// flags; a setting it cannot translate fails the test.
func securityFlags(t *testing.T, sc *corev1.SecurityContext) []string {
	t.Helper()
	var flags []string
	if sc.RunAsUser != nil {
		flags = append(flags, "--user", fmt.Sprint(*sc.RunAsUser))
	}
	if sc.ReadOnlyRootFilesystem != nil && *sc.ReadOnlyRootFilesystem {
		flags = append(flags, "--read-only")
	}
	if sc.AllowPrivilegeEscalation != nil && !*sc.AllowPrivilegeEscalation {
		flags = append(flags, "--security-opt", "no-new-privileges")
	}
	if sc.Capabilities != nil {
		for _, c := range sc.Capabilities.Drop {
			flags = append(flags, "--cap-drop", string(c))
		}
		for _, c := range sc.Capabilities.Add {
			flags = append(flags, "--cap-add", string(c))
		}
	}
	if sc.Privileged != nil && *sc.Privileged {
		t.Fatal("the sidecar must not be privileged")
	}
	return flags
}
