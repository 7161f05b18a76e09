package cli

import (
	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/fn"
)

// SpecObject serialises an IPFailover for people: durations are written in
// seconds as the spec documents them ("300s", where Go would write "5m0s").
func SpecObject(ipf *v1alpha1.IPFailover) (*kfn.KubeObject, error) {
	obj, err := fn.ToKubeObject(ipf)
	if err != nil {
		return nil, err
	}
	s := &ipf.Spec
	set := func(d *metav1.Duration, path ...string) {
		if d != nil {
			_ = obj.SetNestedString(fn.FormatDuration(d.Duration), path...)
		}
	}
	set(s.CheckInterval, "spec", "checkInterval")
	if s.Preemption != nil {
		set(s.Preemption.Delay, "spec", "preemption", "delay")
	}
	if s.VRRP != nil {
		set(s.VRRP.AdvertInterval, "spec", "vrrp", "advertInterval")
	}
	return obj, nil
}
