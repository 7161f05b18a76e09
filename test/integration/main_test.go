package integration_test

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the expected outputs under examples/*/.expected")

// repoRoot is the repository, relative to this package.
const repoRoot = "../.."

// binDir holds ipfailover-render, built by TestMain; tests put it first on
// the PATH of the tools they run.
var binDir string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "ipf-integration")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = filepath.Join(dir, "bin")
	cmd := exec.Command("go", "build", "-o", filepath.Join(binDir, "ipfailover-render"), "./cmd/render")
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building ipfailover-render: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is the outcome of a command.
type result struct {
	stdout, stderr string
	err            error
}

// run runs a command in dir with ipfailover-render first on PATH and the
// extra environment variables.
func run(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return result{stdout.String(), stderr.String(), err}
}

// mustRun is run, failing the test on a non-zero exit.
func mustRun(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	r := run(t, dir, env, name, args...)
	if r.err != nil {
		t.Fatalf("%s %s: %v\nstderr:\n%s", name, strings.Join(args, " "), r.err, r.stderr)
	}
	return r.stdout
}

// unavailable skips the test with a loud message when a tool cannot be
// had, or fails it under CI=true, where every integration test must run.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s; under CI=true this test must run", msg)
	}
	t.Skipf("\n\n*** SKIPPING %s: %s ***\n\n", t.Name(), msg)
}

// lookPath returns the path of a tool on PATH, or skips the test.
func lookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		unavailable(t, "%s is not on $PATH", name)
	}
	return p
}

// kustomizeVersion is the standalone kustomize the tests install: the
// newest that builds with Go 1.26 (v5.8.3 needs Go 1.27).
const kustomizeVersion = "v5.8.2"

// kustomize returns the standalone kustomize, installing it into
// bin/tools/kustomize-<version>/ on first use (go install; about two and a
// half minutes with cold caches). A lock keeps concurrent test processes
// from installing it twice.
func kustomize(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join(repoRoot, "bin", "tools", "kustomize-"+kustomizeVersion))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "kustomize")
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	unlock := lockFile(t, filepath.Join(dir, ".lock"))
	defer unlock()
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	start := time.Now()
	cmd := exec.Command("go", "install", "sigs.k8s.io/kustomize/kustomize/v5@"+kustomizeVersion)
	cmd.Env = append(os.Environ(), "GOBIN="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		unavailable(t, "go install kustomize %s failed: %v\n%s", kustomizeVersion, err, out)
	}
	t.Logf("installed kustomize %s into %s in %s", kustomizeVersion, dir, time.Since(start).Round(time.Second))
	return bin
}

// lockFile takes an exclusive lock on path and returns its release.
func lockFile(t *testing.T, path string) func() {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		t.Fatal(err)
	}
	return func() { f.Close() }
}

// copyDir copies the directory tree src into dst (created), following no
// symlinks.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
}

// snapshot returns every regular file under dir (relative path: content).
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// compareExpected compares got with the expected file (under the
// repository), or rewrites it with -update.
func compareExpected(t *testing.T, file, got string) {
	t.Helper()
	path := filepath.Join(repoRoot, file)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (write it with go test ./test/integration -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got); rerun with -update if intended:\n%s", file, diff)
	}
}

// writeFile writes a file, creating its directory.
func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// invalidSpec is an IPFailover with two findings: a CIDR suffix on a VIP,
// and an unknown field.
const invalidSpec = `apiVersion: ipfailover.failoverkit.io/v1alpha1
kind: IPFailover
metadata:
  name: bad
  namespace: ipfailover
spec:
  virtualIPs:
  - 192.0.2.10/24
  replica: 2
`

// invalidFindings are how the renderer names invalidSpec's findings:
// field path and reason.
var invalidFindings = []string{
	`spec.virtualIPs[0]: "192.0.2.10/24": CIDR suffixes are not VIPs`,
	`spec.replica: `,
}

// wantFindings checks that text (what a tool shows) holds every finding
// of invalidSpec, and not only a generic failure.
func wantFindings(t *testing.T, what, text string) {
	t.Helper()
	for _, f := range invalidFindings {
		if !strings.Contains(text, f) {
			t.Errorf("%s lacks %q:\n%s", what, f, text)
		}
	}
}
