// Package fsm is the VRRP state machine of one virtual router, as a pure
// function of events to actions: it reads no clock, starts no goroutine and
// does no I/O. The node agent owns the sockets, the timers and the
// addresses; it feeds events in and carries the returned actions out.
//
// # Driving it
//
//	m, err := fsm.New(cfg)
//	acts := m.Handle(fsm.Startup{})
//
// Handle is called from one goroutine, one event at a time; it returns the
// actions to carry out in order. The driver:
//
//   - feeds AdvertReceived for every advert packet.Validate accepted for
//     this VRID (Src = IP source, Priority, Interval =
//     Advert.IntervalDuration());
//   - keeps one timer per TimerKind. StartTimer{Timer, Gen, After} (re)arms
//     that kind; StopTimer stops it; when it expires the driver feeds
//     TimerFired{Timer, Gen} with the Gen of the StartTimer that armed it.
//     A TimerFired whose Gen is not the current one for that kind (the
//     timer was restarted or stopped meanwhile) is ignored, so a timer that
//     fires while being stopped is harmless;
//   - sends SendAdvert{Priority} with packet.Marshal, configures or removes
//     the addresses on AddVIPs/RemoveVIPs, announces them (GARP/NA) on
//     Announce, and logs or notifies on StateChanged;
//   - feeds CheckResult after every health check, PriorityChanged when a
//     tracked weight changes, and Shutdown on SIGTERM (then sends the
//     priority-0 advert it returns before exiting).
//
// # What is implemented
//
// RFC 5798/RFC 9568 §6 (VRRPv3) and RFC 3768 §6 (VRRPv2), which differ only
// in the timers:
//
//   - §6.1: Skew_Time is ((256 − Priority) × Master_Adver_Interval) / 256
//     for VRRPv3, with Master_Adver_Interval learned from the master's
//     adverts, and (256 − Priority) / 256 s for VRRPv2;
//     Master_Down_Interval is 3 × Master_Adver_Interval + Skew_Time. All in
//     time.Duration, multiplying before dividing (SkewTime,
//     MasterDownInterval).
//   - §6.4.1 Initialize: the owner (priority 255) advertises, announces and
//     becomes Master at once; everyone else starts Master_Down_Timer in
//     Backup.
//   - §6.4.2 Backup: a priority-0 advert shortens Master_Down_Timer to
//     Skew_Time; an advert of at least our priority, or any advert without
//     Preempt, is accepted (VRRPv3 adopts its interval) and resets the
//     timer; a lower one is discarded, so the timer runs out and we
//     preempt. On expiry: advert, AddVIPs, Announce, Master.
//   - §6.4.3 Master: a priority-0 advert is answered with an advert at
//     once; a higher-priority advert, or an equal one from a greater
//     primary address (unsigned, network byte order), sends us to Backup
//     with the addresses removed; anything else is discarded. Shutdown
//     sends a priority-0 advert and returns to Init.
//
// # ipfailover extensions (keepalived behaviour)
//
//   - Preempt false is keepalived's nopreempt: a live master is never
//     displaced; a dead or resigning one still is.
//   - PreemptDelay is keepalived's preempt_delay. keepalived ≥ 2.0
//     (vrrp.c, vrrp_state_backup; "Make preempt_delay work more than
//     once") starts the delay when a Backup first accepts an advert from a
//     lower-priority master, keeps accepting that master's adverts until
//     it expires, and clears it whenever it enters Backup or hears a master
//     of at least its own priority. We do the same with PreemptDelayTimer.
//     At startup the first such advert arrives within one advert interval,
//     so the delay counts from startup to within that interval; after a
//     Fault or a demotion it counts again. A master that goes silent or
//     sends priority 0 is replaced at master-down or skew time regardless.
//   - The address owner ignores nopreempt and preempt_delay and keeps
//     priority 255, as keepalived does.
//   - Fault: a failed CheckResult (ipfailover's track_script with weight 0)
//     moves Backup or Master to Fault. From Master it sends a priority-0
//     advert and removes the addresses, exactly as keepalived's
//     vrrp_state_leave_master does for FAULT (vrrp_send_adv(vrrp,
//     VRRP_PRIO_STOP)), so the backups take over after Skew_Time. Fault
//     ignores adverts. A passing CheckResult leaves Fault for Backup with
//     Master_Adver_Interval reset to our own (keepalived
//     vrrp_state_leave_fault), or for Master if we are the owner. A check
//     failing before Startup makes Startup enter Fault.
//   - PriorityChanged is clamped to 1..254 and ignored for the owner, like
//     keepalived's vrrp_set_effective_priority. It takes effect with the
//     next advert or timer reset; a running Master_Down_Timer keeps its
//     length (keepalived shifts it by the change in Skew_Time, which is
//     less than one advert interval).
//   - A VRRPv3 master's learned interval is clamped to at least
//     Config.MinLearnedInterval (default 10 ms, the smallest VRRPv3 can
//     encode), so a peer advertising a tiny interval cannot make us flap.
//     An agent can raise the floor.
//   - Config.HealActions: when two masters meet (a partition heals, a link
//     comes back) the one that outranks the other emits AnnounceAgain
//     (keepalived's vrrp_state_master_rx refreshes the neighbours' caches
//     on a lower advert), and the one that steps down emits YieldNotice,
//     one advert at its priority, so that the winner hears a lower master
//     even if its own advert arrived first. The driver only paces and
//     executes them; package sim proves the exchange under virtual time.
//
// # Deliberately left out
//
//   - Accept_Mode (RFC 9568 §6.1): the addresses only ever live on the
//     master, which serves them, so there is nothing to drop.
//   - Discarding adverts as address owner and keepalived's "rogue owner"
//     handling: two owners resolve by the tie-break (see package packet).
//   - keepalived's extra adverts on hearing a lower priority master and
//     sync groups; the mixed VRRPv2/v3 mode of RFC 5798 §8.4.2.
//   - Repetition of announcements and of the priority-0 advert on
//     shutdown: the driver's choice.
package fsm
