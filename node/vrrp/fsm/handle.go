package fsm

// This file holds one handler per event type.

// startup handles Startup (RFC 9568 §6.4.1). A router whose check is
// failing starts in Fault.
func (m *Machine) startup() []Action {
	if m.state != Init {
		return nil
	}
	if !m.healthy {
		m.state = Fault
		return []Action{StateChanged{From: Init, To: Fault, Reason: ReasonCheckFailed}}
	}
	return m.up(ReasonAddressOwner, ReasonStartup)
}

// shutdown handles Shutdown in every state but Init.
func (m *Machine) shutdown() []Action {
	if m.state == Init {
		return nil
	}
	return m.toInit(nil)
}

// timerFired handles a timer expiry, ignoring stale generations.
func (m *Machine) timerFired(e TimerFired) []Action {
	if e.Timer == 0 || e.Timer >= timerKinds || e.Gen == 0 || m.running[e.Timer] != e.Gen {
		return nil
	}
	m.running[e.Timer] = 0
	switch {
	case m.state == Master && e.Timer == AdvertTimer:
		// RFC 9568 §6.4.3: send an advert, reset Adver_Timer.
		return []Action{SendAdvert{Priority: m.priority}, m.startTimer(AdvertTimer, m.cfg.AdvertInterval)}
	case m.state == Backup && e.Timer == MasterDownTimer:
		// RFC 9568 §6.4.2: Master_Down_Timer fired.
		return m.toMaster(nil, m.downReason)
	case m.state == Backup && e.Timer == PreemptDelayTimer:
		// From now on lower-priority adverts are discarded, so the
		// Master_Down_Timer runs out and we preempt (keepalived
		// vrrp_state_backup: preempt_time has passed).
		m.hold = holdElapsed
	}
	return nil
}

// check handles a health check result.
func (m *Machine) check(e CheckResult) []Action {
	m.healthy = e.OK
	switch {
	case !e.OK && (m.state == Backup || m.state == Master):
		return m.toFault(nil)
	case e.OK && m.state == Fault:
		return m.up(ReasonCheckRecovered, ReasonCheckRecovered)
	}
	return nil
}

// setPriority handles PriorityChanged like keepalived's
// vrrp_set_effective_priority: the owner keeps 255, others are clamped to
// 1..254.
func (m *Machine) setPriority(e PriorityChanged) []Action {
	if m.owner() {
		return nil
	}
	m.priority = min(max(e.Priority, 1), 254)
	return nil
}

// advert handles a received advert in Backup (RFC 9568 §6.4.2) or Master
// (RFC 9568 §6.4.3); Init and Fault ignore adverts (keepalived drops them in
// FAULT too). Our own looped-back adverts are ignored.
func (m *Machine) advert(e AdvertReceived) []Action {
	if m.isSelf(e.Src) {
		return nil
	}
	switch m.state {
	case Backup:
		return m.backupAdvert(e)
	case Master:
		return m.masterAdvert(e)
	}
	return nil
}

// backupAdvert is RFC 9568 §6.4.2 (RFC 3768 §6.4.2 for VRRPv2) with
// keepalived's preempt_delay (vrrp.c, vrrp_state_backup).
func (m *Machine) backupAdvert(e AdvertReceived) []Action {
	if e.Priority == 0 {
		// The master resigned: take over after Skew_Time only.
		m.downReason = ReasonMasterResigned
		return []Action{m.startTimer(MasterDownTimer, m.SkewTime())}
	}
	var a []Action
	preempt := m.cfg.Preempt || m.owner()
	switch {
	case !preempt || e.Priority >= m.priority:
		// Accept. A master at least as good as us ends any preempt delay.
		if e.Priority >= m.priority {
			a = m.resetHold(a)
		}
	case m.hold == holdElapsed || m.owner() || m.cfg.PreemptDelay == 0:
		// Preempt: discard the advert and let Master_Down_Timer expire.
		m.downReason = ReasonPreempt
		return nil
	case m.hold == holdIdle:
		// First live lower-priority master since entering Backup: start the
		// delay and keep accepting its adverts meanwhile.
		m.hold = holdRunning
		a = append(a, m.startTimer(PreemptDelayTimer, m.cfg.PreemptDelay))
	}
	m.learn(e.Interval)
	m.downReason = ReasonMasterDown
	return append(a, m.startTimer(MasterDownTimer, m.MasterDownInterval()))
}

// masterAdvert is RFC 9568 §6.4.3 (RFC 3768 §6.4.3 for VRRPv2).
func (m *Machine) masterAdvert(e AdvertReceived) []Action {
	switch {
	case e.Priority == 0:
		// Another master resigned: advertise now so backups see us.
		return []Action{SendAdvert{Priority: m.priority}, m.startTimer(AdvertTimer, m.cfg.AdvertInterval)}
	case e.Priority > m.priority:
		m.learn(e.Interval)
		return m.yield(m.toBackup(nil, ReasonHigherPriority))
	case e.Priority == m.priority && m.senderWins(e.Src):
		m.learn(e.Interval)
		return m.yield(m.toBackup(nil, ReasonLostTieBreak))
	}
	// Lower priority, or equal from a smaller address: discard, and with
	// HealActions announce again (see AnnounceAgain).
	if m.cfg.HealActions {
		return []Action{AnnounceAgain{From: e.Src, Priority: e.Priority}}
	}
	return nil
}

// yield appends a YieldNotice to the actions of stepping down to a master
// that outranks us, with HealActions.
func (m *Machine) yield(a []Action) []Action {
	if m.cfg.HealActions {
		a = append(a, YieldNotice{Priority: m.priority})
	}
	return a
}
