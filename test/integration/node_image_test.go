package integration_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// TestNodeImageVersion runs the agent in the node image with nothing: no
// network, no capability, a read-only root.
func TestNodeImageVersion(t *testing.T) {
	img := image(t, "node")
	out := docker(t, "run", "--rm", "--network", "none", "--cap-drop", "ALL", "--read-only", img, "version")
	if strings.TrimSpace(out) != "ipfailover-node test" {
		t.Errorf("version printed %q", out)
	}
}

// TestNodeImageIPTables runs every iptables variant of the image in a
// network namespace of its own (docker --network none) with the
// capabilities the rendered pods have: both backends work, and plain
// iptables is the nf_tables one.
func TestNodeImageIPTables(t *testing.T) {
	img := image(t, "node")
	for _, tool := range []string{"iptables-nft", "ip6tables-nft", "iptables-legacy", "ip6tables-legacy", "iptables"} {
		t.Run(tool, func(t *testing.T) {
			out := docker(t, "run", "--rm", "--network", "none", "--cap-drop", "ALL", "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW",
				"--entrypoint", tool, img, "-S")
			if !strings.Contains(out, "-P INPUT ACCEPT") {
				t.Errorf("%s -S printed %q", tool, out)
			}
		})
	}
	if out := docker(t, "run", "--rm", "--network", "none", "--entrypoint", "iptables", img, "-V"); !strings.Contains(out, "nf_tables") {
		t.Errorf("iptables -V: %q, want the nf_tables variant", out)
	}
}

// TestNodeImageCleanup runs the cleanup Job the renderer writes for
// examples/removal, as the Job's pod would run it: the node image, the
// Job's arguments, environment and security context (capabilities, no
// privilege escalation, read-only root, the xtables lock mounted), in a
// network namespace of the test's own rather than the host's. The
// namespace holds what a crashed agent leaves behind, for each iptables
// backend: the set's VIPs on eth0 and its VRRP accept rule in INPUT. The
// agent must detect the backend and remove both.
func TestNodeImageCleanup(t *testing.T) {
	img := image(t, "node")
	ipTool := lookPath(t, "ip")
	nsenter := lookPath(t, "nsenter")
	job := renderedCleanupJob(t)
	c := job.Spec.Template.Spec.Containers[0]

	for _, backend := range []string{"nft", "legacy"} {
		t.Run(backend, func(t *testing.T) {
			// The namespace: a container that only waits, with an eth0
			// (one end of a veth pair; this kernel has no dummy links)
			// carrying the VIPs.
			holder := fmt.Sprintf("ipf-cleanup-%s-%d", backend, os.Getpid())
			docker(t, "run", "-d", "--name", holder, "--network", "none", "--cap-drop", "ALL", "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW",
				"--entrypoint", "xtables-monitor", img, "--event")
			t.Cleanup(func() { run(t, "", nil, "docker", "rm", "-f", holder) })
			pid := strings.TrimSpace(docker(t, "inspect", "-f", "{{.State.Pid}}", holder))
			inNS := func(args ...string) string {
				return mustRun(t, "", nil, nsenter, append([]string{"-t", pid, "-n", ipTool}, args...)...)
			}
			inNS("link", "add", "eth0", "type", "veth", "peer", "name", "eth0-peer")
			inNS("link", "set", "eth0", "up")
			inNS("addr", "add", "192.0.2.1/24", "dev", "eth0")
			for _, vip := range []string{"192.0.2.10", "192.0.2.12"} {
				inNS("addr", "add", vip+"/32", "dev", "eth0")
			}
			iptables := func(args ...string) string {
				return docker(t, append([]string{"run", "--rm", "--network", "container:" + holder, "--cap-drop", "ALL", "--cap-add", "NET_ADMIN", "--cap-add", "NET_RAW",
					"--entrypoint", "iptables-" + backend, img}, args...)...)
			}
			const rule = "-A INPUT -d 224.0.0.18/32 -p vrrp -m comment --comment failoverkit-vrrp:ingress -j ACCEPT"
			iptables(strings.Fields(strings.Replace(rule, "-A", "-I", 1))...)
			iptables("-I", "INPUT", "-p", "tcp", "--dport", "22", "-j", "ACCEPT") // not ours: stays
			if out := iptables("-S", "INPUT"); !strings.Contains(out, `"failoverkit-vrrp:ingress"`) {
				t.Fatalf("seeding the rule failed:\n%s", out)
			}

			pod := &job.Spec.Template.Spec
			args := append([]string{"run", "--rm", "--network", "container:" + holder}, podFlags(t, pod, pod.NodeName, c, nil)...)
			args = append(args, img)
			args = append(args, c.Args...)
			r := run(t, "", nil, "docker", args...)
			if r.err != nil {
				hint := ""
				if strings.Contains(r.stderr, "set into network namespace") || strings.Contains(r.stderr, "entering namespace") {
					hint = "\nThe agent entered a network namespace (setns), its own included, which takes CAP_SYS_ADMIN: " +
						"the rendered pod has only NET_ADMIN and NET_RAW. Sockets for the current namespace need no setns."
				}
				t.Fatalf("the cleanup Job's container failed: %v\nstdout:\n%s\nstderr:\n%s%s", r.err, r.stdout, r.stderr, hint)
			}
			for _, want := range []string{"released VIP 192.0.2.10 on eth0", "released VIP 192.0.2.12 on eth0", "removed the VRRP accept rules"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("the cleanup's output lacks %q:\n%s", want, r.stdout)
				}
			}
			if out := iptables("-S", "INPUT"); strings.Contains(out, "failoverkit-vrrp") || !strings.Contains(out, "--dport 22") {
				t.Errorf("after cleanup, INPUT (%s) holds:\n%s", backend, out)
			}
			if out := inNS("-4", "-o", "addr", "show", "dev", "eth0"); strings.Contains(out, "192.0.2.10/32") || !strings.Contains(out, "192.0.2.1/24") {
				t.Errorf("after cleanup, eth0 holds:\n%s", out)
			}
		})
	}
}

// renderedCleanupJob renders examples/removal and returns its first
// cleanup Job.
func renderedCleanupJob(t *testing.T) *batchv1.Job {
	t.Helper()
	out := mustRun(t, repoRoot, nil, filepath.Join(binDir, "ipfailover-render"), "examples/removal")
	for _, doc := range strings.Split(out, "\n---\n") {
		if !strings.Contains(doc, "kind: Job\n") {
			continue
		}
		var job batchv1.Job
		if err := yaml.UnmarshalStrict([]byte(doc), &job); err != nil {
			t.Fatal(err)
		}
		if c := job.Spec.Template.Spec.Containers; len(c) != 1 || len(c[0].Args) == 0 || c[0].Args[0] != "cleanup" {
			t.Fatalf("the Job runs %v, not the agent's cleanup", c)
		}
		return &job
	}
	t.Fatalf("examples/removal renders no Job:\n%s", out)
	return nil
}

// podFlags translates what the pod spec says about container c into
// docker run flags: its environment (the downward API's node name
// filled in), capabilities, privilege escalation, read-only root and
// host-path mounts (each a fresh file or directory of the test's), and
// ConfigMap mounts from the directories dirs names by volume. Any other
// setting fails the test, so that it never runs the container more
// loosely than the renderer asks without anyone noticing.
func podFlags(t *testing.T, pod *corev1.PodSpec, nodeName string, c corev1.Container, dirs map[string]string) []string {
	t.Helper()
	var flags []string
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			flags = append(flags, "-e", e.Name+"="+e.Value)
		case e.ValueFrom.FieldRef != nil && e.ValueFrom.FieldRef.FieldPath == "spec.nodeName":
			flags = append(flags, "-e", e.Name+"="+nodeName)
		default:
			t.Fatalf("env %s: no translation of %+v", e.Name, e.ValueFrom)
		}
	}
	sc := c.SecurityContext
	if sc == nil || sc.Capabilities == nil {
		t.Fatal("the container has no security context")
	}
	if sc.Privileged != nil && *sc.Privileged {
		t.Fatal("the agent's container is privileged")
	}
	for _, d := range sc.Capabilities.Drop {
		flags = append(flags, "--cap-drop", string(d))
	}
	for _, a := range sc.Capabilities.Add {
		flags = append(flags, "--cap-add", string(a))
	}
	if sc.AllowPrivilegeEscalation != nil && !*sc.AllowPrivilegeEscalation {
		flags = append(flags, "--security-opt", "no-new-privileges")
	}
	if sc.ReadOnlyRootFilesystem != nil && *sc.ReadOnlyRootFilesystem {
		flags = append(flags, "--read-only")
	}
	volumes := map[string]corev1.Volume{}
	for _, v := range pod.Volumes {
		volumes[v.Name] = v
	}
	for _, m := range c.VolumeMounts {
		v, ok := volumes[m.Name]
		if dir := dirs[m.Name]; ok && v.ConfigMap != nil && dir != "" {
			flags = append(flags, "--mount", fmt.Sprintf("type=bind,src=%s,dst=%s,readonly=%t", dir, m.MountPath, m.ReadOnly))
			continue
		}
		if !ok || v.HostPath == nil {
			t.Fatalf("volume mount %s: no translation of %+v", m.Name, v)
		}
		src := filepath.Join(t.TempDir(), filepath.Base(v.HostPath.Path))
		if v.HostPath.Type != nil && *v.HostPath.Type == corev1.HostPathFileOrCreate {
			writeFile(t, src, "")
		} else if err := os.MkdirAll(src, 0o755); err != nil {
			t.Fatal(err)
		}
		flags = append(flags, "--mount", fmt.Sprintf("type=bind,src=%s,dst=%s,readonly=%t", src, m.MountPath, m.ReadOnly))
	}
	return flags
}
