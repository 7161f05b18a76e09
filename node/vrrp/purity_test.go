package vrrp_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/failoverkit/ipfailover/node/vrrp/"

// allowedImports lists what each pure package may import directly.
var allowedImports = map[string][]string{
	"packet": {"crypto/subtle", "encoding/binary", "errors", "fmt", "net/netip", "strconv", "time"},
	"fsm":    {"errors", "fmt", "net/netip", "strconv", "time", module + "packet"},
	"sim":    {"container/heap", "fmt", "net/netip", "slices", "time", module + "fsm", module + "packet"},
}

// forbiddenTime are the functions of package time that read the clock,
// sleep or start timers. time.Duration arithmetic is allowed.
var forbiddenTime = map[string]bool{
	"Now": true, "Since": true, "Until": true, "Sleep": true, "After": true,
	"AfterFunc": true, "NewTimer": true, "NewTicker": true, "Tick": true,
}

// TestPureImportsAndCalls parses the non-test sources of each package and
// fails on an import outside its allow-list, a clock or timer call from
// package time, or a go statement.
func TestPureImportsAndCalls(t *testing.T) {
	for pkg, allowed := range allowedImports {
		files, err := filepath.Glob(filepath.Join(pkg, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no sources (%v)", pkg, err)
		}
		fset := token.NewFileSet()
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			timeName := ""
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if !contains(allowed, path) {
					t.Errorf("%s imports %q, which is not on its allow-list", file, path)
				}
				if path == "time" {
					timeName = "time"
					if imp.Name != nil {
						timeName = imp.Name.Name
					}
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.GoStmt:
					t.Errorf("%s: go statement", fset.Position(n.Pos()))
				case *ast.SelectorExpr:
					if id, ok := n.X.(*ast.Ident); ok && timeName != "" && id.Name == timeName && forbiddenTime[n.Sel.Name] {
						t.Errorf("%s: uses time.%s", fset.Position(n.Pos()), n.Sel.Name)
					}
				}
				return true
			})
		}
	}
}

// forbiddenDeps are packages (or path prefixes ending in "/") that must not
// appear anywhere in the transitive dependencies of the pure packages:
// sockets, netlink, system-call wrappers, process execution. (unsafe,
// syscall and os are reached through fmt and the runtime, so they cannot be
// banned transitively; the allow-lists above keep them out of direct use.)
var forbiddenDeps = []string{
	"net", "net/http", "os/exec", "os/signal",
	"golang.org/x/sys/", "golang.org/x/net/", "github.com/vishvananda/",
	"github.com/mdlayher/", "github.com/coreos/go-iptables/", "github.com/google/nftables",
}

// TestPureDependencies runs go list -deps on the pure packages and fails if a
// forbidden package is reachable, directly or not.
func TestPureDependencies(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not in PATH; TestPureImportsAndCalls still checks direct imports")
	}
	for pkg := range allowedImports {
		cmd := exec.Command(goTool, "list", "-deps", "./"+pkg)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps ./%s: %v", pkg, err)
		}
		deps := strings.Fields(string(out))
		if !contains(deps, module+pkg) {
			t.Fatalf("go list -deps ./%s did not list the package itself: %v", pkg, deps)
		}
		for _, dep := range deps {
			for _, bad := range forbiddenDeps {
				if dep == bad || (strings.HasSuffix(bad, "/") && strings.HasPrefix(dep, bad)) {
					t.Errorf("%s depends on %s", pkg, dep)
				}
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
