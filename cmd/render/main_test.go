package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The tests run this test binary as ipfailover-render: with
// IPFAILOVER_RENDER_MAIN=1 its TestMain is the command's main.
const mainEnv = "IPFAILOVER_RENDER_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

type result struct {
	stdout, stderr string
	code           int
}

// render runs the command with args and stdin (nil: an empty pipe),
// bounded by 30 seconds.
func render(t *testing.T, stdin *os.File, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	if stdin != nil {
		cmd.Stdin = stdin
	} else {
		cmd.Stdin = strings.NewReader("")
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("ipfailover-render %q did not end within 30s", args)
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return r
}

func TestHelpAnywhere(t *testing.T) {
	tests := []struct {
		args []string
		want string // the first line of the usage
	}{
		{[]string{"--help"}, "ipfailover-render renders IPFailover objects"},
		{[]string{"-h"}, "ipfailover-render renders IPFailover objects"},
		{[]string{"help"}, "ipfailover-render renders IPFailover objects"},
		{[]string{"../../examples/docs-example", "--help"}, "ipfailover-render renders IPFailover objects"},
		{[]string{"ipfailover", "--virtual-ips=192.0.2.1", "--help"}, "Usage: ipfailover-render ipfailover [NAME]"},
		{[]string{"help", "ipfailover"}, "Usage: ipfailover-render ipfailover [NAME]"},
		{[]string{"import", "-h"}, "Usage: ipfailover-render import"},
		{[]string{"import", "no-such-file", "--help"}, "Usage: ipfailover-render import"},
		{[]string{"discover", "--help"}, "Usage: ipfailover-render discover [DIR]"},
		{[]string{"help", "discover"}, "Usage: ipfailover-render discover [DIR]"},
	}
	for _, tt := range tests {
		r := render(t, nil, tt.args...)
		if r.code != 0 || r.stderr != "" || !strings.HasPrefix(r.stdout, tt.want) {
			t.Errorf("ipfailover-render %q: exit %d, stdout %q…, stderr %q; want exit 0 and a usage starting %q on stdout",
				tt.args, r.code, firstLine(r.stdout), r.stderr, tt.want)
		}
	}
}

// TestFlagStyle: every usage writes a flag with a short form as
// "-n, --namespace NS" and long flags with two dashes.
func TestFlagStyle(t *testing.T) {
	for _, mode := range []string{"ipfailover", "import"} {
		r := render(t, nil, mode, "--help")
		if !strings.Contains(r.stdout, "\n  -n, --namespace NS ") {
			t.Errorf("%s --help does not list -n, --namespace NS:\n%s", mode, r.stdout)
		}
		if m := regexp.MustCompile(`(?m)^\s+-[a-z][a-z-]+ `).FindString(r.stdout); m != "" {
			t.Errorf("%s --help writes a long flag with one dash: %q", mode, m)
		}
	}
}

func TestVersion(t *testing.T) {
	var first string
	for _, args := range [][]string{{"--version"}, {"version"}} {
		r := render(t, nil, args...)
		if r.code != 0 || !regexp.MustCompile(`^ipfailover-render v\d+\.\d+\.\d+\S* ?.*\n$`).MatchString(r.stdout) {
			t.Errorf("ipfailover-render %q: exit %d, stdout %q, stderr %q", args, r.code, r.stdout, r.stderr)
		}
		if first == "" {
			first = r.stdout
		} else if r.stdout != first {
			t.Errorf("version prints %q, --version %q", r.stdout, first)
		}
	}
}

func TestUnknownModesAndFlagsAreNamed(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--bogus"}, "unknown flag --bogus; see ipfailover-render --help"},
		{[]string{"--verison"}, "unknown flag --verison (did you mean --version?)"},
		{[]string{"discovr"}, `discovr is neither a file, a directory nor a mode (did you mean "discover"?)`},
		{[]string{"help", "improt"}, `unknown mode "improt" (did you mean import?)`},
		{[]string{"import", "--namespce", "x", "a.yaml"}, "ipfailover-render import: unknown flag --namespce (did you mean --namespace?)"},
		{[]string{"ipfailover", "--virtual-ip=192.0.2.1"}, "unknown flag --virtual-ip (did you mean --virtual-ips?)"},
		{[]string{"ipfailover", "--replicas=two"}, `ipfailover-render ipfailover: invalid value "two" for flag -replicas`},
		{[]string{"discover", "--recursive"}, "ipfailover-render discover: unknown flag --recursive"},
	}
	for _, tt := range tests {
		r := render(t, nil, tt.args...)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("ipfailover-render %q: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, r.code, r.stdout, r.stderr, tt.want)
		}
	}
}

func TestNoIPFailoverWarns(t *testing.T) {
	empty := t.TempDir()
	other := t.TempDir()
	cm := filepath.Join(other, "cm.yaml")
	if err := os.WriteFile(cm, []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, stdout string }{{empty, ""}, {other, "kind: ConfigMap"}, {cm, "kind: ConfigMap"}} {
		r := render(t, nil, tt.path)
		want := "ipfailover-render: warning: no IPFailover in " + tt.path + ": nothing to render"
		if r.code != 0 || !strings.Contains(r.stdout, tt.stdout) || !strings.Contains(r.stderr, want) {
			t.Errorf("ipfailover-render %s: exit %d, stdout %q, stderr %q; want exit 0 and %q", tt.path, r.code, r.stdout, r.stderr, want)
		}
	}
}

// TestKustomizeExampleRenders: files mode reads a kustomize root as its
// resources and generators, without the kustomization and without the
// nested roots (examples/kustomize/container and kubectl hold the same
// IPFailover).
func TestKustomizeExampleRenders(t *testing.T) {
	r := render(t, nil, "../../examples/kustomize")
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
	for _, kind := range []string{"Namespace", "ServiceAccount", "RoleBinding", "Deployment"} {
		if !strings.Contains(r.stdout, "\nkind: "+kind+"\n") {
			t.Errorf("no %s in the output:\n%s", kind, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "kind: Kustomization") {
		t.Errorf("the kustomization is in the output:\n%s", r.stdout)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
