package vrrp_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// root is the module path; the layering rules below are written relative to it.
const root = "github.com/failoverkit/ipfailover"

// layering lists, for each half of the project, the parts of this module it
// must never depend on, directly or not. The two halves (the renderer fn and
// its API types; the node agent) meet only in contract, which imports nothing
// of ours.
var layering = []struct {
	pkgs      string   // a go list pattern, relative to the module root
	forbidden []string // path prefixes in this module
}{
	{"./fn/...", []string{"/node"}},
	{"./api/...", []string{"/node"}},
	{"./node/...", []string{"/fn", "/api"}},
	{"./contract/...", []string{"/"}},
}

// TestLayering runs go list -deps on each half (test files excluded) and fails
// on a dependency that crosses the line between the renderer and the agent.
func TestLayering(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not in PATH")
	}
	for _, l := range layering {
		cmd := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}} {{join .Deps \" \"}}", l.pkgs)
		cmd.Dir = "../.."
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", l.pkgs, err)
		}
		prefix := root + strings.TrimPrefix(l.pkgs, ".")
		prefix = strings.TrimSuffix(prefix, "/...")
		checked := 0
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			fields := strings.Fields(line)
			if len(fields) == 0 || !inside(fields[0], prefix) {
				continue
			}
			checked++
			for _, dep := range fields[1:] {
				for _, bad := range l.forbidden {
					if bad == "/" && dep != fields[0] && inside(dep, root) && !inside(dep, prefix) {
						t.Errorf("%s depends on %s: contract imports nothing of this module", fields[0], dep)
					} else if bad != "/" && inside(dep, root+bad) {
						t.Errorf("%s depends on %s, across the line between renderer and agent", fields[0], dep)
					}
				}
			}
		}
		if checked == 0 {
			t.Errorf("go list %s listed none of its own packages", l.pkgs)
		}
	}
}

// inside reports whether pkg is the package path or below it.
func inside(pkg, path string) bool {
	return pkg == path || strings.HasPrefix(pkg, path+"/")
}
