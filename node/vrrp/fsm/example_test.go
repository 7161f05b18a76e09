package fsm_test

import (
	"fmt"
	"net/netip"
	"time"

	"github.com/failoverkit/ipfailover/node/vrrp/fsm"
)

// Example shows how a driver feeds events and carries out actions. A real
// driver owns time.Timers keyed by TimerKind and passes TimerFired back
// with the generation from StartTimer.
func Example() {
	m, err := fsm.New(fsm.Config{
		VRID: 11, Priority: 250, Version: 2, AdvertInterval: time.Second,
		Preempt: true, PreemptDelay: 300 * time.Second,
		Primary: netip.MustParseAddr("10.0.0.5"),
	})
	if err != nil {
		panic(err)
	}
	pending := map[fsm.TimerKind]fsm.StartTimer{}
	run := func(ev fsm.Event) {
		for _, a := range m.Handle(ev) {
			switch a := a.(type) {
			case fsm.StartTimer:
				pending[a.Timer] = a // real driver: (re)arm a timer for a.After
				fmt.Printf("start %v timer for %v\n", a.Timer, a.After)
			case fsm.StopTimer:
				delete(pending, a.Timer)
				fmt.Printf("stop %v timer\n", a.Timer)
			case fsm.SendAdvert:
				fmt.Printf("send advert, priority %d\n", a.Priority)
			case fsm.StateChanged:
				fmt.Printf("%v -> %v (%v)\n", a.From, a.To, a.Reason)
			default:
				fmt.Printf("%T\n", a)
			}
		}
	}

	run(fsm.Startup{})
	// Nobody advertised: the master-down timer fires.
	t := pending[fsm.MasterDownTimer]
	run(fsm.TimerFired{Timer: t.Timer, Gen: t.Gen})
	// SIGTERM.
	run(fsm.Shutdown{})
	// Output:
	// start master-down timer for 3.0234375s
	// Init -> Backup (startup)
	// send advert, priority 250
	// fsm.AddVIPs
	// fsm.Announce
	// start advert timer for 1s
	// Backup -> Master (master-down)
	// stop advert timer
	// send advert, priority 0
	// fsm.RemoveVIPs
	// Master -> Init (shutdown)
}
