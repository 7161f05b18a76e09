package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/internal/version"
)

// noEnv is an environment that fails the test when read: help, version
// and command-line errors must be answered before the agent reads it, so
// they can never start the agent.
func noEnv(t *testing.T) contract.Lookup {
	return func(name string) (string, bool) {
		t.Helper()
		t.Fatalf("the environment was read (%s): the agent would have started", name)
		return "", false
	}
}

func runCmd(t *testing.T, lookup contract.Lookup, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut, lookup)
	return code, out.String(), errOut.String()
}

func TestHelpAnywhereStartsNothing(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"-h"}, {"-help"}, {"help"},
		{"run", "--help"}, {"run", "-h"}, {"cleanup", "--help"}, {"run", "help"},
		{"--log-level", "debug", "run", "--help"}, {"--bogus", "--help"}, {"bogus", "-h"},
	} {
		code, stdout, stderr := runCmd(t, noEnv(t), args...)
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "ipfailover-node keeps the virtual IPs") {
			t.Errorf("ipfailover-node %q: exit %d, stderr %q, stdout %.60q…; want exit 0 and the usage", args, code, stderr, stdout)
		}
	}
}

// TestHelpListsTheContract: the help names every variable of the contract
// (from package contract, not a list of its own) and points to the README.
func TestHelpListsTheContract(t *testing.T) {
	_, stdout, _ := runCmd(t, noEnv(t), "--help")
	for _, v := range contract.KnownVars() {
		if !strings.Contains(stdout, " "+v+"\n") && !strings.Contains(stdout, " "+v+" ") {
			t.Errorf("--help does not list %s", v)
		}
	}
	ours := stdout[strings.Index(stdout, "and the agent's own:"):]
	for _, v := range contract.KnownVars() {
		if strings.Contains(ours, v) != contract.AgentOnly(v) {
			t.Errorf("%s is listed on the wrong side of the image's and the agent's variables", v)
		}
	}
	if !strings.Contains(stdout, "https://github.com/failoverkit/ipfailover#the-environment-contract") {
		t.Error("--help does not point to the README's environment contract")
	}
	for _, line := range strings.Split(stdout, "\n") {
		if len(line) > 80 {
			t.Errorf("help line longer than 80 columns: %q", line)
		}
	}
}

func TestVersion(t *testing.T) {
	want := version.String("ipfailover-node") + "\n"
	if !strings.HasPrefix(want, "ipfailover-node "+version.Release) {
		t.Fatalf("version line %q does not carry the release %s", want, version.Release)
	}
	for _, args := range [][]string{{"--version"}, {"version"}, {"-version"}, {"run", "--version"}, {"--log-format=json", "version"}} {
		code, stdout, stderr := runCmd(t, noEnv(t), args...)
		if code != 0 || stdout != want || stderr != "" {
			t.Errorf("ipfailover-node %q: exit %d, stdout %q, stderr %q; want %q", args, code, stdout, stderr, want)
		}
	}
}

func TestUnknownModesAndFlagsAreNamed(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"bogus"}, `ipfailover-node: unknown mode "bogus"; the modes are run, cleanup, version and help`},
		{[]string{"clenup"}, `unknown mode "clenup" (did you mean "cleanup"?)`},
		{[]string{"--log-levl=debug"}, "unknown flag --log-levl (did you mean --log-level?)"},
		{[]string{"run", "--verbose"}, "unknown flag --verbose; see ipfailover-node --help"},
		{[]string{"-v"}, "unknown flag -v;"},
		{[]string{"run", "extra"}, `run takes no arguments, got ["extra"]`},
		{[]string{"--log-level"}, "flag needs an argument: -log-level"},
		{[]string{"--log-level=loud", "run"}, `--log-level "loud"`},
		{[]string{"--log-format=xml", "cleanup"}, `--log-format "xml": want text or json`},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCmd(t, noEnv(t), tt.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("ipfailover-node %q: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
}

// TestInvalidEnvironmentNamesTheMode: a known mode with an unusable
// environment says which mode and which variable, and where the list is.
func TestInvalidEnvironmentNamesTheMode(t *testing.T) {
	empty := func(string) (string, bool) { return "", false }
	for _, mode := range []string{"run", "cleanup"} {
		code, stdout, stderr := runCmd(t, empty, mode)
		if code != 2 || stdout != "" ||
			!strings.Contains(stderr, "ipfailover-node "+mode+": the environment is invalid (ipfailover-node --help lists the variables)") ||
			!strings.Contains(stderr, contract.EnvVirtualIPs) {
			t.Errorf("ipfailover-node %s without an environment: exit %d, stderr %q", mode, code, stderr)
		}
	}
}
