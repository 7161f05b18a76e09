package argocd_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/argoproj/argo-cd/v3/common"
)

// repoRoot is the product repository, relative to this package.
const repoRoot = "../.."

// pluginName is the name Applications use for the plugin: metadata.name
// and spec.version of deploy/argocd/plugin.yaml.
const pluginName = "ipfailover-v1"

// binDir holds the binaries the tests build: argocd-cmp-server and
// ipfailover-render.
var binDir string

// serverLog is the log file of the server started by TestMain.
var serverLog string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	// Short: the server's socket path must fit in a sockaddr_un.
	dir, err := os.MkdirTemp("", "cmp")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = filepath.Join(dir, "bin")
	if err := buildBinaries(binDir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	stop, err := startServer(dir, filepath.Join(repoRoot, "deploy/argocd/plugin.yaml"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	code := m.Run()
	stop()
	if code != 0 {
		if data, err := os.ReadFile(serverLog); err == nil {
			fmt.Fprintf(os.Stderr, "argocd-cmp-server log:\n%s\n", data)
		}
	}
	return code
}

// buildBinaries builds argocd-cmp-server from this module and
// ipfailover-render from the product's, statically (CGO_ENABLED=0), so that
// they also run in the function image (TestSidecarImage).
func buildBinaries(dir string) error {
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		return err
	}
	for _, b := range []struct{ moduleDir, pkg, out string }{
		{".", "./cmd/argocd-cmp-server", "argocd-cmp-server"},
		{root, "./cmd/render", "ipfailover-render"},
	} {
		start := time.Now()
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, b.out), b.pkg)
		cmd.Dir = b.moduleDir
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building %s: %v\n%s", b.out, err, out)
		}
		if d := time.Since(start); d > 30*time.Second {
			fmt.Fprintf(os.Stderr, "built %s in %s (over 30s: a cold Go build cache, or a busy machine)\n", b.out, d.Round(time.Second))
		}
	}
	return nil
}

// startServer starts argocd-cmp-server with the plugin configuration file
// as the sidecar has it, its socket in dir/plugins (where the client looks
// for it: ARGOCD_PLUGINSOCKFILEPATH, set for this process too) and
// ipfailover-render on its PATH, and waits for the socket.
func startServer(dir, pluginYAML string) (stop func(), err error) {
	configDir := filepath.Join(dir, "config")
	sockDir := filepath.Join(dir, "plugins")
	workDir := filepath.Join(dir, "work")
	for _, d := range []string{configDir, sockDir, workDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	data, err := os.ReadFile(pluginYAML)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(configDir, "plugin.yaml"), data, 0o644); err != nil {
		return nil, err
	}
	if err := os.Setenv(common.EnvPluginSockFilePath, sockDir); err != nil {
		return nil, err
	}
	serverLog = filepath.Join(dir, "server.log")
	logFile, err := os.Create(serverLog)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, filepath.Join(binDir, "argocd-cmp-server"), "--config-dir-path", configDir, "--logformat", "text")
	cmd.Env = append(os.Environ(),
		common.EnvCMPWorkDir+"="+workDir,
		"PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"),
	)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		cancel()
		return nil, fmt.Errorf("starting argocd-cmp-server: %w", err)
	}
	stop = func() {
		cancel()
		_ = cmd.Wait()
		logFile.Close()
	}
	if err := waitForSocket(filepath.Join(sockDir, pluginName+".sock"), 30*time.Second); err != nil {
		stop()
		log, _ := os.ReadFile(serverLog)
		return nil, fmt.Errorf("%w; server log:\n%s", err, bytes.TrimSpace(log))
	}
	return stop, nil
}

// waitForSocket waits until path is a socket.
func waitForSocket(path string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if fi, err := os.Stat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("argocd-cmp-server did not create %s within %s", path, timeout)
}

// skipWithoutDocker skips the test, loudly, when docker cannot run
// containers, except under CI=true, where it fails.
func skipWithoutDocker(t *testing.T) {
	t.Helper()
	out, err := exec.Command("docker", "info", "--format", "{{.ServerVersion}}").CombinedOutput()
	if err == nil {
		return
	}
	msg := fmt.Sprintf("docker cannot run containers (%v: %s)", err, bytes.TrimSpace(out))
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s; under CI=true the container tests must run", msg)
	}
	t.Skipf("\n\n*** SKIPPING %s: %s ***\n\n", t.Name(), msg)
}
