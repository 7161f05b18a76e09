package fsm_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

// TestHealActions: with Config.HealActions a Master that hears another
// master decides the partition-heal question itself: announce again when it
// outranks the other (with the address normalised as for the tie-break),
// step down and send a yield notice when it is outranked, nothing for a
// resignation or its own advert. Without the option the actions are the
// RFC's alone (TestTransitionTable).
func TestHealActions(t *testing.T) {
	mappedLower := netip.MustParseAddr("::ffff:10.0.0.1") // an IPv4-mapped form of lower
	tests := []struct {
		name  string
		src   netip.Addr
		prio  uint8
		state fsm.State
		tail  []fsm.Action // the last actions
	}{
		{"lower priority", higher, 99, fsm.Master, []fsm.Action{fsm.AnnounceAgain{From: higher, Priority: 99}}},
		{"equal, smaller address", lower, 100, fsm.Master, []fsm.Action{fsm.AnnounceAgain{From: lower, Priority: 100}}},
		{"equal, smaller mapped address", mappedLower, 100, fsm.Master, []fsm.Action{fsm.AnnounceAgain{From: mappedLower, Priority: 100}}},
		{"higher priority", lower, 150, fsm.Backup, []fsm.Action{
			fsm.StateChanged{From: fsm.Master, To: fsm.Backup, Reason: fsm.ReasonHigherPriority},
			fsm.YieldNotice{Priority: 100},
		}},
		{"equal, greater address", higher, 100, fsm.Backup, []fsm.Action{
			fsm.StateChanged{From: fsm.Master, To: fsm.Backup, Reason: fsm.ReasonLostTieBreak},
			fsm.YieldNotice{Priority: 100},
		}},
		{"resignation", higher, 0, fsm.Master, []fsm.Action{
			fsm.SendAdvert{Priority: 100},
			fsm.StartTimer{Timer: fsm.AdvertTimer, After: time.Second},
		}},
		{"own advert", self, 255, fsm.Master, nil},
	}
	for _, tt := range tests {
		cfg := baseConfig()
		cfg.HealActions = true
		r := newRig(t, cfg)
		toMaster(r)
		acts := r.do(fsm.AdvertReceived{Src: tt.src, Priority: tt.prio, Interval: time.Second})
		if r.m.State() != tt.state {
			t.Errorf("%s: state %v, want %v", tt.name, r.m.State(), tt.state)
		}
		got := acts
		if len(got) > len(tt.tail) {
			got = got[len(got)-len(tt.tail):]
		}
		if diff := cmp.Diff(tt.tail, got, cmp.Comparer(func(a, b netip.Addr) bool { return a == b }), cmpopts.IgnoreFields(fsm.StartTimer{}, "Gen")); diff != "" {
			t.Errorf("%s: last actions (-want +got):\n%s\nall: %v", tt.name, diff, acts)
		}
		if tt.tail == nil && len(acts) != 0 {
			t.Errorf("%s: actions %v, want none", tt.name, acts)
		}
	}
}
