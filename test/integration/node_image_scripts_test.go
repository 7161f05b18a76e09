package integration_test

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vishvananda/netns"

	"github.com/failoverkit/ipfailover/fn"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// TestNodeImageScripts runs the documentation's example check script (the
// one examples/docs-example renders into its ConfigMap), the image's own
// port check written as a script (bash's </dev/tcp), and a notify script
// inside the node image as the rendered pod runs them: read-only root,
// every capability dropped but NET_ADMIN and NET_RAW, no privilege
// escalation, the scripts mounted read-only with mode 0755. The network
// namespace is a container's of the test's own (docker --network none);
// the port the check scripts probe (127.0.0.1:30060) is opened in that
// namespace by the test. Each check passes while the port answers and
// fails once it is closed.
func TestNodeImageScripts(t *testing.T) {
	img := image(t, "node")
	nodeImageNeedsRoot(t)
	dir := t.TempDir()
	for name, text := range map[string]string{
		"check.sh":   renderedCheckScript(t),
		"tcp.sh":     "#!/bin/bash\n</dev/tcp/127.0.0.1/30060\n",
		"notify.sh":  "#!/bin/bash\necho \"$(date -u +%Y-%m-%dT%H:%M:%SZ) $2 is now $3 (priority $4)\" | tr a-z A-Z\n",
		"notify2.sh": "#!/bin/sh\nset -eu\ncase $3 in MASTER|BACKUP|FAULT|STOP) ;; *) exit 1;; esac\nprintf '%s\\n' \"$*\" | awk '{ print NF, $2 }' | sed 's/^/fields /'\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}

	// Every interpreter the renderer accepts without a warning is there.
	paths, progs := fn.AgentInterpreters()
	probe := "for p in " + strings.Join(paths, " ") + "; do test -x $p || echo missing $p; done; " +
		"for p in " + strings.Join(progs, " ") + "; do /usr/bin/env sh -c \"command -v $p\" >/dev/null || echo missing $p; done"
	if out := docker(t, "run", "--rm", "--network", "none", "--cap-drop", "ALL", "--read-only", "--entrypoint", "/bin/bash", img, "-c", probe); out != "" {
		t.Errorf("the image lacks interpreters the renderer accepts:\n%s", out)
	}

	holder := fmt.Sprintf("ipf-scripts-%d", os.Getpid())
	docker(t, "run", "-d", "--name", holder, "--network", "none", "--cap-drop", "ALL", "--read-only",
		"--entrypoint", "sleep", img, "600")
	t.Cleanup(func() { run(t, "", nil, "docker", "rm", "-f", holder) })
	pid := strings.TrimSpace(docker(t, "inspect", "-f", "{{.State.Pid}}", holder))

	// script runs one script of dir in the image, in the holder's network
	// namespace, and returns its output and exit error.
	script := func(name string, args ...string) (string, error) {
		t.Helper()
		a := []string{"run", "--rm", "--network", "container:" + holder, "--read-only",
			"--cap-drop", "ALL", "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW", "--security-opt", "no-new-privileges",
			"--mount", "type=bind,src=" + dir + ",dst=/etc/ipfailover/scripts,readonly",
			"--entrypoint", "/etc/ipfailover/scripts/" + name, img}
		r := run(t, "", nil, "docker", append(a, args...)...)
		return r.stdout + r.stderr, r.err
	}
	exitCode := func(err error) int {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		return -1
	}

	ln := listenInNamespace(t, pid, "127.0.0.1:30060")
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintln(w, "ok")
	})}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	for _, name := range []string{"check.sh", "tcp.sh"} {
		if out, err := script(name); err != nil {
			t.Errorf("%s with the port open: %v\n%s", name, err, out)
		}
	}
	out, err := script("notify.sh", "INSTANCE", "ipfailover_VIP_1", "MASTER", "250")
	if err != nil || !strings.Contains(out, "IPFAILOVER_VIP_1 IS NOW MASTER (PRIORITY 250)") {
		t.Errorf("notify.sh: %v\n%s", err, out)
	}
	out, err = script("notify2.sh", "INSTANCE", "ipfailover_VIP_1", "FAULT", "250")
	if err != nil || strings.TrimSpace(out) != "fields 4 ipfailover_VIP_1" {
		t.Errorf("notify2.sh: %v\n%s", err, out)
	}

	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Fatal(err)
	}
	for name, want := range map[string]int{"check.sh": 7, "tcp.sh": 1} { // curl: 7 = could not connect
		if out, err := script(name); exitCode(err) != want {
			t.Errorf("%s with the port closed: %v, want exit status %d\n%s", name, err, want, out)
		}
	}
}

// nodeImageNeedsRoot skips (fails under CI=true) when the test cannot enter
// a container's network namespace.
func nodeImageNeedsRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		unavailable(t, "entering a container's network namespace needs root")
	}
}

// listenInNamespace opens a TCP listener in the network namespace of
// process pid: on a fresh OS thread that enters the namespace and is never
// handed back to the Go runtime (which destroys it), so no other goroutine
// runs in the namespace. The socket stays in that namespace; the test
// closes it.
func listenInNamespace(t *testing.T, pid, addr string) net.Listener {
	t.Helper()
	type result struct {
		ln  net.Listener
		err error
	}
	c := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // deliberately never unlocked: see above
		n, err := strconv.Atoi(pid)
		if err != nil {
			c <- result{err: fmt.Errorf("pid %q: %w", pid, err)}
			return
		}
		h, err := netns.GetFromPid(n)
		if err != nil {
			c <- result{err: fmt.Errorf("the network namespace of %d: %w", n, err)}
			return
		}
		defer h.Close()
		if err := netns.Set(h); err != nil {
			c <- result{err: fmt.Errorf("entering the network namespace of %d: %w", n, err)}
			return
		}
		ln, err := net.Listen("tcp", addr)
		c <- result{ln, err}
	}()
	r := <-c
	if r.err != nil {
		t.Fatal(r.err)
	}
	t.Cleanup(func() { r.ln.Close() })
	return r.ln
}

// renderedDocsExample renders examples/docs-example and returns its
// Deployment and its scripts ConfigMap.
func renderedDocsExample(t *testing.T) (*appsv1.Deployment, *corev1.ConfigMap) {
	t.Helper()
	out := mustRun(t, repoRoot, nil, filepath.Join(binDir, "ipfailover-render"), "examples/docs-example")
	var d *appsv1.Deployment
	var cm *corev1.ConfigMap
	for _, doc := range strings.Split(out, "\n---\n") {
		switch {
		case strings.Contains(doc, "kind: ConfigMap\n"):
			cm = &corev1.ConfigMap{}
			if err := yaml.UnmarshalStrict([]byte(doc), cm); err != nil {
				t.Fatal(err)
			}
		case strings.Contains(doc, "kind: Deployment\n"):
			d = &appsv1.Deployment{}
			if err := yaml.UnmarshalStrict([]byte(doc), d); err != nil {
				t.Fatal(err)
			}
		}
	}
	if d == nil || cm == nil || cm.Data["check.sh"] == "" {
		t.Fatalf("examples/docs-example renders no Deployment or no check script:\n%s", out)
	}
	return d, cm
}

// renderedCheckScript is the check script of examples/docs-example.
func renderedCheckScript(t *testing.T) string {
	t.Helper()
	_, cm := renderedDocsExample(t)
	return cm.Data["check.sh"]
}

// TestNodeImageDocsExample runs the Deployment that examples/docs-example
// renders with defaults, as its pod would run (the container's env,
// capabilities, read-only root and mounts, the scripts ConfigMap as a
// directory), in the node image, in a network namespace of the test's own
// (a container's) with the example's interface ens3. Only the VIPs differ:
// the documentation's 1.1.1.1-2 are not test addresses, so the env says
// 192.0.2.101-102. Alone, the agent becomes master and holds both VIPs
// while its check script (curl in the image) reaches 127.0.0.1:30060; when
// the port closes, the check fails and the VIPs go.
func TestNodeImageDocsExample(t *testing.T) {
	img := image(t, "node")
	nodeImageNeedsRoot(t)
	ipTool := lookPath(t, "ip")
	nsenter := lookPath(t, "nsenter")
	d, cm := renderedDocsExample(t)
	pod := &d.Spec.Template.Spec
	c := pod.Containers[0]
	for i, e := range c.Env {
		if e.Name == "OPENSHIFT_HA_VIRTUAL_IPS" {
			c.Env[i].Value = "192.0.2.101-102"
		}
	}
	dir := t.TempDir()
	for k, v := range cm.Data {
		if err := os.WriteFile(filepath.Join(dir, k), []byte(v), 0o755); err != nil {
			t.Fatal(err)
		}
	}

	holder := fmt.Sprintf("ipf-docs-holder-%d", os.Getpid())
	docker(t, "run", "-d", "--name", holder, "--network", "none", "--cap-drop", "ALL", "--read-only", "--entrypoint", "sleep", img, "600")
	t.Cleanup(func() { run(t, "", nil, "docker", "rm", "-f", holder) })
	pid := strings.TrimSpace(docker(t, "inspect", "-f", "{{.State.Pid}}", holder))
	inNS := func(args ...string) string {
		return mustRun(t, "", nil, nsenter, append([]string{"-t", pid, "-n", ipTool}, args...)...)
	}
	inNS("link", "add", "ens3", "type", "veth", "peer", "name", "ens3-peer")
	inNS("link", "set", "ens3-peer", "up")
	inNS("link", "set", "ens3", "up")
	inNS("addr", "add", "192.0.2.1/24", "dev", "ens3")

	ln := listenInNamespace(t, pid, "127.0.0.1:30060")
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})}
	go srv.Serve(ln) //nolint:errcheck // closed below
	t.Cleanup(func() { srv.Close() })

	agent := fmt.Sprintf("ipf-docs-agent-%d", os.Getpid())
	args := append([]string{"run", "-d", "--name", agent, "--network", "container:" + holder},
		podFlags(t, pod, "worker-a", c, map[string]string{"scripts": dir})...)
	args = append(args, img)
	docker(t, append(args, c.Args...)...)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("agent log:\n%s", run(t, "", nil, "docker", "logs", agent).stderr)
		}
		run(t, "", nil, "docker", "rm", "-f", agent)
	})

	vips := func() (n int) {
		out := inNS("-4", "-o", "addr", "show", "dev", "ens3")
		for _, v := range []string{"192.0.2.101/32", "192.0.2.102/32"} {
			if strings.Contains(out, v) {
				n++
			}
		}
		return n
	}
	waitVIPs := func(want int, within time.Duration, what string) {
		t.Helper()
		for end := time.Now().Add(within); vips() != want; time.Sleep(200 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatalf("%s: %d of the 2 VIPs on ens3 after %s:\n%s", what, vips(), within, inNS("-o", "addr", "show", "dev", "ens3"))
			}
		}
	}
	waitVIPs(2, 30*time.Second, "the agent to hold both VIPs")
	srv.Close()
	waitVIPs(0, 15*time.Second, "the failing check to take the VIPs away")
	if logs := run(t, "", nil, "docker", "logs", agent); !strings.Contains(logs.stdout+logs.stderr, "health check failed") {
		t.Errorf("the agent's log lacks the failed check:\n%s", logs.stdout+logs.stderr)
	}
}
