package cluster

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
)

// node is one worker's files: dir (its data, below the lab's run
// directory) and the paths derived from it.
type node struct {
	index int
	name  string
	netns string
	dir   string
}

func (n node) path(elem ...string) string { return filepath.Join(append([]string{n.dir}, elem...)...) }

// containerdSocket is the node's CRI endpoint.
func (n node) containerdSocket() string { return n.path("containerd.sock") }

// nodeCerts issues the kubelet's client certificate (Node authorizer:
// system:node:<name> in system:nodes) and serving certificate.
func (p *pki) nodeCerts(n node) error {
	if err := p.issue(certSpec{file: n.name, cn: "system:node:" + n.name, orgs: []string{"system:nodes"}}); err != nil {
		return err
	}
	return p.issue(certSpec{file: n.name + "-serving", cn: n.name,
		ips: []net.IP{nodeAddr(n.index).AsSlice()}, dns: []string{n.name}})
}

// writeNodeConfig writes containerd's, kubelet's and CNI's configuration.
// The containerd is the node's own: its own root, state, sockets and CNI
// directory; runc without systemd (cgroupfs), as the kubelet.
//
// restrict_oom_score_adj: CRI asks for oom_score_adj -998 for every pod
// sandbox (and kubelet down to -997 for Guaranteed pods). Lowering it needs
// CAP_SYS_RESOURCE, which the machines here do not grant even to root
// (CapEff lacks bit 24), so runc's nsexec fails writing
// /proc/self/oom_score_adj and runc reports only "can't get final child's
// PID from pipe: EOF" (runc --debug shows the EACCES). Docker works because
// it asks for no adjustment. The option clamps the request to containerd's
// own value; kubelet is told not to adjust its own (oomScoreAdj: 0).
func writeNodeConfig(n node, p *pki, cgroupRoot, sandboxImage string) error {
	for _, d := range []string{"cni", "kubelet", "logs"} {
		if err := os.MkdirAll(n.path(d), 0o755); err != nil {
			return err
		}
	}
	containerd := fmt.Sprintf(`version = 2
root = %[1]q
state = %[2]q
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.tracing"]

[grpc]
  address = %[3]q

[ttrpc]
  address = %[4]q

[plugins."io.containerd.internal.v1.opt"]
  path = %[5]q

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = %[6]q
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = %[7]q
`, n.path("containerd", "root"), n.path("containerd", "state"), n.containerdSocket(),
		n.containerdSocket()+".ttrpc", n.path("containerd", "opt"), sandboxImage, n.path("cni"))
	cni := fmt.Sprintf(`{
  "cniVersion": "0.4.0",
  "name": "ipflab",
  "plugins": [{
    "type": "bridge",
    "bridge": "cni0",
    "isGateway": false,
    "ipMasq": false,
    "ipam": {"type": "host-local", "ranges": [[{"subnet": %q}]], "dataDir": %q}
  }]
}
`, nodePodNet(n.index).String(), n.path("cni", "ipam"))
	// Eviction thresholds are low so that the machine's disk and memory,
	// shared by every node, never make a node evict our pods.
	kubelet := fmt.Sprintf(`apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: %[1]s
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: %[2]s
tlsPrivateKeyFile: %[3]s
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: %[4]s}
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
cgroupRoot: %[5]s
containerRuntimeEndpoint: unix://%[6]s
failSwapOn: false
resolvConf: %[7]s
clusterDomain: cluster.local
evictionHard: {memory.available: "100Mi", nodefs.available: "1%%", imagefs.available: "1%%", nodefs.inodesFree: "1%%"}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
serializeImagePulls: false
podLogsDir: %[8]s
nodeStatusUpdateFrequency: 5s
shutdownGracePeriod: 0s
oomScoreAdj: 0
`, nodeAddr(n.index), p.path(n.name+"-serving.crt"), p.path(n.name+"-serving.key"), p.path("ca.crt"),
		cgroupRoot, n.containerdSocket(), n.path("resolv.conf"), n.path("logs"))
	files := map[string]string{
		n.path("containerd.toml"):           containerd,
		n.path("cni", "10-ipflab.conflist"): cni,
		n.path("kubelet.yaml"):              kubelet,
		n.path("resolv.conf"):               "# ipflab: no DNS in the lab\n",
	}
	for path, text := range files {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func containerdArgs(n node) []string {
	return []string{"containerd", "--config", n.path("containerd.toml"), "--log-level", "warn"}
}

func kubeletArgs(bins string, n node, kubeconfig string) []string {
	return []string{filepath.Join(bins, "kubelet"),
		"--config=" + n.path("kubelet.yaml"),
		"--kubeconfig=" + kubeconfig,
		"--hostname-override=" + n.name,
		"--node-ip=" + nodeAddr(n.index).String(),
		"--root-dir=" + n.path("kubelet"),
		"--v=1",
	}
}

// ctr runs containerd's client against the node's containerd, in the
// namespace CRI uses.
func ctr(n node, args ...string) (string, error) {
	return run(append([]string{"ctr", "--address", n.containerdSocket(), "--namespace", "k8s.io"}, args...)...)
}

// importImage imports an image archive (docker save or OCI) into the node.
func importImage(n node, archive string) error {
	out, err := ctr(n, "images", "import", "--no-unpack=false", archive)
	if err != nil {
		return fmt.Errorf("%s: importing %s: %w", n.name, archive, err)
	}
	_ = strings.TrimSpace(out)
	return nil
}
