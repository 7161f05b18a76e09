package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// kubectlTimeout bounds every kubectl call.
const kubectlTimeout = 2 * time.Minute

// kubectl runs kubectl against the lab with stdin and returns its output.
func (e *env) kubectl(stdin string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), kubectlTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "kubectl", append([]string{"--kubeconfig", e.lab.Kubeconfig}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("kubectl %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return out.String(), nil
}

func (e *env) mustKubectl(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	out, err := e.kubectl(stdin, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// apply applies manifests server-side with strict field validation, as a
// GitOps tool would.
func (e *env) apply(t *testing.T, manifests string) {
	t.Helper()
	e.mustKubectl(t, manifests, "apply", "--server-side", "--field-manager=ipflab-e2e", "--force-conflicts", "--validate=strict", "-f", "-")
}

// render runs the renderer (the CLI, as Argo CD's plugin does) on specs.
func (e *env) render(t *testing.T, specs string) string {
	t.Helper()
	out, err := e.renderErr(specs)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (e *env) renderErr(specs string) (string, error) {
	dir, err := os.MkdirTemp("", "ipflab-render-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "ipfailover.yaml")
	if err := os.WriteFile(path, []byte(specs), 0o644); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, e.renderBin, path)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("rendering: %w: %s", err, stderr.String())
	}
	return stdout.String(), nil
}
