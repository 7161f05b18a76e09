package integration_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Local tags of the images the tests build: no registry is involved, and
// "localhost/" keeps kpt from prefixing its default registry.
const (
	renderImage = "localhost/failoverkit-test/ipfailover-render:test"
	nodeImage   = "localhost/failoverkit-test/ipfailover-node:test"
)

// imageBuilds builds each image once per test process.
var imageBuilds sync.Map // image name -> *imageBuild

type imageBuild struct {
	once sync.Once
	out  string
	err  error
}

// image builds the named image (render or node) with hack/images.sh,
// FROM scratch, without pulling anything, and returns its local tag. It
// skips the test when docker cannot run containers (fails under CI=true).
func image(t *testing.T, name string) string {
	t.Helper()
	requireDocker(t)
	tag := map[string]string{"render": renderImage, "node": nodeImage}[name]
	v, _ := imageBuilds.LoadOrStore(name, &imageBuild{})
	b := v.(*imageBuild)
	b.once.Do(func() {
		cmd := exec.Command("hack/images.sh", name, tag)
		cmd.Dir = repoRoot
		cmd.Env = append(os.Environ(), "VERSION=test")
		out, err := cmd.CombinedOutput()
		b.out, b.err = string(out), err
	})
	if b.err != nil {
		t.Fatalf("hack/images.sh %s: %v\n%s", name, b.err, b.out)
	}
	return tag
}

var dockerCheck struct {
	once sync.Once
	err  error
	out  string
}

// requireDocker skips the test (fails under CI=true) when the docker
// daemon cannot be reached.
func requireDocker(t *testing.T) {
	t.Helper()
	dockerCheck.once.Do(func() {
		out, err := exec.Command("docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput()
		dockerCheck.out, dockerCheck.err = strings.TrimSpace(string(out)), err
	})
	if dockerCheck.err != nil {
		unavailable(t, "docker cannot run containers (%v: %s)", dockerCheck.err, dockerCheck.out)
	}
}

// docker runs docker and returns its stdout, failing the test on error.
func docker(t *testing.T, args ...string) string {
	t.Helper()
	return mustRun(t, "", nil, "docker", args...)
}

// TestFunctionImageConfig checks what the function image runs as: a
// non-root user, the binary as entry point, nothing else.
func TestFunctionImageConfig(t *testing.T) {
	img := image(t, "render")
	if got := strings.TrimSpace(docker(t, "image", "inspect", "-f", "{{.Config.User}} {{json .Config.Entrypoint}}", img)); got != `65532:65532 ["/usr/local/bin/ipfailover-render"]` {
		t.Errorf("user and entry point %q", got)
	}
	out := docker(t, "run", "--rm", "--network", "none", "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges", img, "--version")
	if strings.TrimSpace(out) != "ipfailover-render test" {
		t.Errorf("--version printed %q", out)
	}
}

// TestFunctionImageKpt renders examples/kpt with the function image as the
// pipeline step (image: instead of exec:), three times, and evaluates it
// with kpt fn eval --image: the package is the one the exec function
// renders. The image is never pulled (--image-pull-policy never).
func TestFunctionImageKpt(t *testing.T) {
	kpt := lookPath(t, "kpt")
	img := image(t, "render")
	want := snapshot(t, filepath.Join(repoRoot, "examples/kpt"))
	kptfile := strings.Replace(want["Kptfile"], "  - exec: ipfailover-render\n", "  - image: "+img+"\n", 1)
	if kptfile == want["Kptfile"] {
		t.Fatal("examples/kpt/Kptfile has no exec step to replace")
	}
	want["Kptfile"] = kptfile

	t.Run("render", func(t *testing.T) {
		pkg := filepath.Join(t.TempDir(), "kpt")
		copyDir(t, filepath.Join(repoRoot, "examples/kpt"), pkg)
		writeFile(t, filepath.Join(pkg, "Kptfile"), kptfile)
		if err := os.RemoveAll(filepath.Join(pkg, "generated")); err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= renders; i++ {
			mustRun(t, pkg, nil, kpt, "fn", "render", "--image-pull-policy", "never")
			if diff := cmp.Diff(want, snapshot(t, pkg)); diff != "" {
				t.Fatalf("render %d with the image differs from the exec render (-exec +image):\n%s", i, diff)
			}
		}
	})
	t.Run("eval", func(t *testing.T) {
		pkg := filepath.Join(t.TempDir(), "kpt")
		copyDir(t, filepath.Join(repoRoot, "examples/kpt"), pkg)
		if err := os.RemoveAll(filepath.Join(pkg, "generated")); err != nil {
			t.Fatal(err)
		}
		mustRun(t, pkg, nil, kpt, "fn", "eval", ".", "--image", img, "--image-pull-policy", "never")
		want := snapshot(t, filepath.Join(repoRoot, "examples/kpt"))
		if diff := cmp.Diff(want, snapshot(t, pkg)); diff != "" {
			t.Fatalf("eval with the image differs from the exec render (-exec +image):\n%s", diff)
		}
	})
	t.Run("errors", func(t *testing.T) {
		pkg := filepath.Join(t.TempDir(), "kpt")
		copyDir(t, filepath.Join(repoRoot, "examples/kpt"), pkg)
		writeFile(t, filepath.Join(pkg, "Kptfile"), kptfile)
		writeFile(t, filepath.Join(pkg, "bad.yaml"), invalidSpec)
		r := run(t, pkg, nil, kpt, "fn", "render", "--image-pull-policy", "never")
		if r.err == nil {
			t.Fatal("kpt fn render succeeded on an invalid spec")
		}
		wantFindings(t, "kpt's output", r.stdout+r.stderr)
	})
}

// TestFunctionImageKustomize builds examples/kustomize/container, whose
// generator is a container function, with standalone kustomize and with
// kubectl kustomize (which runs container functions with the alpha flag
// alone): both give what the exec function gives. kustomize runs the
// image with docker run --user nobody, which the image's passwd resolves.
func TestFunctionImageKustomize(t *testing.T) {
	img := image(t, "render")
	dir := filepath.Join(t.TempDir(), "container")
	copyDir(t, filepath.Join(repoRoot, "examples/kustomize/container"), dir)
	spec, err := os.ReadFile(filepath.Join(dir, "ipfailover.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const published = "image: ghcr.io/failoverkit/ipfailover-render:v0.1.0"
	if !strings.Contains(string(spec), published) {
		t.Fatalf("examples/kustomize/container/ipfailover.yaml does not name %q", published)
	}
	writeFile(t, filepath.Join(dir, "ipfailover.yaml"), strings.Replace(string(spec), published, "image: "+img, 1))

	t.Run("kustomize", func(t *testing.T) {
		out := mustRun(t, "", nil, kustomize(t), "build", "--enable-alpha-plugins", dir)
		compareExpected(t, kustomizeExpected, out)
	})
	t.Run("kubectl kustomize", func(t *testing.T) {
		out := mustRun(t, "", nil, lookPath(t, "kubectl"), "kustomize", "--enable-alpha-plugins", dir)
		compareExpected(t, kustomizeExpected, out)
	})
	t.Run("errors", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad")
		writeFile(t, filepath.Join(bad, "kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ngenerators:\n- ipfailover.yaml\n")
		writeFile(t, filepath.Join(bad, "ipfailover.yaml"), strings.Replace(invalidSpec, "  namespace: ipfailover\n",
			"  namespace: ipfailover\n  annotations:\n    config.kubernetes.io/function: |\n      container:\n        image: "+img+"\n", 1))
		r := run(t, "", nil, kustomize(t), "build", "--enable-alpha-plugins", bad)
		if r.err == nil {
			t.Fatalf("kustomize build succeeded:\n%s", r.stdout)
		}
		wantFindings(t, "kustomize's stderr", r.stderr)
	})
}
