package fn

import (
	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/contract"
)

// warn reports the choices that are legal but risky.
func warn(p *plan, out *problems) {
	s := &p.ipf.Spec
	if p.removal() {
		return
	}
	if p.replicas == 1 {
		out.warnf("spec.replicas", "is 1: a single node cannot fail over, the VIPs go down with it")
	}
	if s.ClusterNetwork == v1alpha1.ClusterNetworkOVNKubernetes && p.cfg.Interface != contract.OVNInterface {
		out.warnf("spec.interface", "is %q on OVN-Kubernetes: VRRP on an interface other than %s loses packets (OCPBUGS-43947)", p.cfg.Interface, contract.OVNInterface)
	}
	if n := len(p.cfg.UnicastPeers); n > 0 && n < int(p.replicas) {
		out.warnf("spec.vrrp.unicastPeers", "lists %d peers for %d replicas: a node missing from the list neither hears nor reaches the others; list every node of the set, itself included", n, p.replicas)
	}
	warnCheck(p, out)
	warnInterpreter(p, "spec.checkScript", s.CheckScript, out)
	warnInterpreter(p, "spec.notifyScript", s.NotifyScript, out)
	if s.CheckScript != "" && s.MonitorPort != nil {
		out.warnf("spec.monitorPort", "is ignored: spec.checkScript replaces the port check")
	}
}
