package cluster

import (
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"strconv"
)

// Control-plane components. Each listens only inside the control-plane
// namespace; etcd and the controllers' ports are on its loopback.
const (
	etcdURL = "http://127.0.0.1:2379"
)

// controlPlaneCerts issues the certificates of the control plane and the
// admin user.
func (p *pki) controlPlaneCerts() error {
	specs := []certSpec{
		{file: "apiserver", cn: "kube-apiserver",
			ips: []net.IP{ControlPlaneAddr.AsSlice(), net.IPv4(127, 0, 0, 1), KubernetesServiceAddr.AsSlice()},
			dns: []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"}},
		{file: "apiserver-kubelet-client", cn: "kube-apiserver-kubelet-client", orgs: []string{"system:masters"}},
		{file: "admin", cn: "ipflab-admin", orgs: []string{"system:masters"}},
		{file: "controller-manager", cn: "system:kube-controller-manager"},
		{file: "scheduler", cn: "system:kube-scheduler"},
	}
	for _, s := range specs {
		if err := p.issue(s); err != nil {
			return err
		}
	}
	return p.serviceAccountKey()
}

// etcdArgs runs a single-member etcd on the namespace's loopback.
func etcdArgs(dataDir string) []string {
	return []string{"etcd",
		"--name=ipflab",
		"--data-dir=" + dataDir,
		"--listen-client-urls=" + etcdURL,
		"--advertise-client-urls=" + etcdURL,
		"--listen-peer-urls=http://127.0.0.1:2380",
		"--initial-advertise-peer-urls=http://127.0.0.1:2380",
		"--initial-cluster=ipflab=http://127.0.0.1:2380",
		"--log-level=warn",
	}
}

// apiserverArgs: Node and RBAC authorization, privileged containers
// allowed (the Keepalived target), kubelets reached by InternalIP.
func apiserverArgs(bins string, p *pki) []string {
	return []string{filepath.Join(bins, "kube-apiserver"),
		"--etcd-servers=" + etcdURL,
		"--bind-address=0.0.0.0",
		"--advertise-address=" + ControlPlaneAddr.String(),
		"--secure-port=" + strconv.Itoa(int(APIServerPort)),
		"--tls-cert-file=" + p.path("apiserver.crt"),
		"--tls-private-key-file=" + p.path("apiserver.key"),
		"--client-ca-file=" + p.path("ca.crt"),
		"--kubelet-client-certificate=" + p.path("apiserver-kubelet-client.crt"),
		"--kubelet-client-key=" + p.path("apiserver-kubelet-client.key"),
		"--kubelet-preferred-address-types=InternalIP",
		"--service-account-key-file=" + p.path("sa.pub"),
		"--service-account-signing-key-file=" + p.path("sa.key"),
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-cluster-ip-range=" + ServiceNet.String(),
		"--authorization-mode=Node,RBAC",
		"--enable-admission-plugins=NodeRestriction",
		"--allow-privileged=true",
		"--profiling=false",
		"--v=1",
	}
}

// controllerManagerArgs: every default controller; no cloud, no CIDR
// allocation (each node's CNI range is fixed by the lab).
func controllerManagerArgs(bins, kubeconfig string, p *pki) []string {
	return []string{filepath.Join(bins, "kube-controller-manager"),
		"--kubeconfig=" + kubeconfig,
		"--authentication-kubeconfig=" + kubeconfig,
		"--authorization-kubeconfig=" + kubeconfig,
		"--bind-address=127.0.0.1",
		"--leader-elect=false",
		"--service-account-private-key-file=" + p.path("sa.key"),
		"--root-ca-file=" + p.path("ca.crt"),
		"--use-service-account-credentials=true",
		"--allocate-node-cidrs=false",
		"--profiling=false",
		"--v=1",
	}
}

func schedulerArgs(bins, kubeconfig string) []string {
	return []string{filepath.Join(bins, "kube-scheduler"),
		"--kubeconfig=" + kubeconfig,
		"--authentication-kubeconfig=" + kubeconfig,
		"--authorization-kubeconfig=" + kubeconfig,
		"--bind-address=127.0.0.1",
		"--leader-elect=false",
		"--profiling=false",
		"--v=1",
	}
}

// apiserverURL is the server URL for clients inside the lab's namespaces.
func apiserverURL(addr netip.Addr) string {
	return fmt.Sprintf("https://%s", netip.AddrPortFrom(addr, APIServerPort))
}
