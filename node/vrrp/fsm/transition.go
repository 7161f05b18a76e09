package fsm

// This file holds the entry actions of each state. Each appends to a, sets
// the new state and ends with StateChanged.

// toMaster becomes Master: RFC 9568 §6.4.1 (owner at startup) and §6.4.2
// (Master_Down_Timer fired): send an advert, announce the addresses, start
// Adver_Timer. The advert goes first, as in keepalived, so the old master
// drops the addresses before our announcements arrive.
func (m *Machine) toMaster(a []Action, reason Reason) []Action {
	from := m.state
	a = m.stopTimer(a, MasterDownTimer)
	a = m.resetHold(a)
	a = append(a, SendAdvert{Priority: m.priority}, AddVIPs{}, Announce{})
	a = append(a, m.startTimer(AdvertTimer, m.cfg.AdvertInterval))
	m.state = Master
	return append(a, StateChanged{From: from, To: Master, Reason: reason})
}

// toBackup becomes Backup: RFC 9568 §6.4.1 (startup) and §6.4.3 (higher
// priority advert): cancel Adver_Timer, start Master_Down_Timer with
// Master_Down_Interval. Leaving Master also removes the addresses, which
// ipfailover only holds on the master. The caller sets
// masterAdverInterval first.
func (m *Machine) toBackup(a []Action, reason Reason) []Action {
	from := m.state
	a = m.stopTimer(a, AdvertTimer)
	if from == Master {
		a = append(a, RemoveVIPs{})
	}
	a = m.resetHold(a)
	m.downReason = ReasonMasterDown
	a = append(a, m.startTimer(MasterDownTimer, m.MasterDownInterval()))
	m.state = Backup
	return append(a, StateChanged{From: from, To: Backup, Reason: reason})
}

// leave stops what the current state runs. A master resigns with a
// priority-0 advert (RFC 9568 §6.4.3 Shutdown) and drops the addresses.
// keepalived sends the same priority-0 advert when a master enters FAULT
// (vrrp.c, vrrp_state_leave_master: vrrp_send_adv(vrrp, VRRP_PRIO_STOP)),
// so backups take over after Skew_Time instead of Master_Down_Interval.
func (m *Machine) leave(a []Action) []Action {
	switch m.state {
	case Master:
		a = m.stopTimer(a, AdvertTimer)
		a = append(a, SendAdvert{Priority: 0}, RemoveVIPs{})
	case Backup:
		a = m.stopTimer(a, MasterDownTimer)
		a = m.resetHold(a)
	}
	return a
}

// toFault enters Fault after a failed check.
func (m *Machine) toFault(a []Action) []Action {
	from := m.state
	a = m.leave(a)
	m.state = Fault
	return append(a, StateChanged{From: from, To: Fault, Reason: ReasonCheckFailed})
}

// toInit returns to Init on Shutdown (RFC 9568 §6.4.2, §6.4.3).
func (m *Machine) toInit(a []Action) []Action {
	from := m.state
	a = m.leave(a)
	m.state = Init
	return append(a, StateChanged{From: from, To: Init, Reason: ReasonShutdown})
}

// up leaves Init or Fault: the owner becomes Master at once, everyone else
// Backup with Master_Adver_Interval reset to our own interval
// (RFC 9568 §6.4.1; keepalived vrrp_state_leave_fault does the same reset).
func (m *Machine) up(ownerReason, backupReason Reason) []Action {
	m.masterAdverInterval = m.cfg.AdvertInterval
	if m.owner() {
		return m.toMaster(nil, ownerReason)
	}
	return m.toBackup(nil, backupReason)
}
