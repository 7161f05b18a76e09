package fw

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-iptables/iptables"
)

// Firewall is what the agent needs; *Manager implements it and unit tests
// of the agent can fake it.
type Firewall interface {
	// Ensure makes chain hold each of rules exactly once (see the package
	// documentation).
	Ensure(chain string, rules ...Rule) error
	// Remove deletes every rule with our marker from chain, both families.
	Remove(chain string) error
}

var _ Firewall = (*Manager)(nil)

// Sentinel errors; test with errors.Is.
var (
	// ErrChainNotFound means the chain does not exist in the table. The
	// package never creates chains.
	ErrChainNotFound = errors.New("chain does not exist")
	// ErrNotInstalled means the iptables binary of a family is not found.
	ErrNotInstalled = errors.New("iptables binary not installed")
)

// DefaultLockWait bounds the wait for the xtables lock.
const DefaultLockWait = 5 * time.Second

// maxDeletes bounds the deletions of one call, against a chain that keeps
// being refilled under us.
const maxDeletes = 64

// mu serialises every change this process makes through this package, so
// concurrent Ensure calls, even on different Managers, never both insert.
var mu sync.Mutex

// Config configures a Manager.
type Config struct {
	// Name is the failover config name (OPENSHIFT_HA_CONFIG_NAME). It goes
	// into the rule comment, see Marker. Required.
	Name string
	// Backend selects the iptables implementation; default BackendAuto.
	Backend Backend
	// Commands, if set, overrides the binaries Backend would select.
	Commands *Commands
	// Table is the table of the chain; default "filter".
	Table string
	// LockWait bounds the wait for the xtables lock (rounded up to whole
	// seconds); default 5s.
	LockWait time.Duration
}

// table is the part of *iptables.IPTables a Manager uses.
type table interface {
	List(table, chain string) ([]string, error)
	ChainExists(table, chain string) (bool, error)
	Insert(table, chain string, pos int, rulespec ...string) error
	Delete(table, chain string, rulespec ...string) error
}

// Manager owns our VRRP rules in one table. It is safe for concurrent use.
type Manager struct {
	marker  string
	table   string
	backend Backend
	cmds    Commands
	// newTable opens a family's iptables, lazily; replaced in tests.
	newTable func(f Family) (table, error)
	// notExist says whether an error means "no such chain/rule".
	notExist func(error) bool

	tables map[Family]table // guarded by mu
}

// New returns a Manager. With BackendAuto it runs Detect in the calling
// thread's network namespace.
func New(cfg Config) (*Manager, error) {
	if cfg.Name == "" {
		return nil, errors.New("fw: config name is required: it identifies our rules")
	}
	if cfg.Table == "" {
		cfg.Table = "filter"
	}
	if cfg.LockWait <= 0 {
		cfg.LockWait = DefaultLockWait
	}
	if cfg.Backend == "" {
		cfg.Backend = BackendAuto
	}
	m := &Manager{marker: Marker(cfg.Name), table: cfg.Table, backend: cfg.Backend, notExist: isNotExist}
	switch {
	case cfg.Commands != nil:
		m.cmds = *cfg.Commands
	case cfg.Backend == BackendAuto:
		b, err := Detect()
		if err != nil {
			return nil, err
		}
		m.backend, m.cmds = b, commandsFor(b)
	case cfg.Backend == BackendNFT || cfg.Backend == BackendLegacy:
		m.cmds = commandsFor(cfg.Backend)
	default:
		return nil, fmt.Errorf("fw: unknown iptables backend %q", cfg.Backend)
	}
	wait := int((cfg.LockWait + time.Second - 1) / time.Second)
	m.newTable = func(f Family) (table, error) {
		cmd, proto := m.cmds.IPv4, iptables.ProtocolIPv4
		if f == IPv6 {
			cmd, proto = m.cmds.IPv6, iptables.ProtocolIPv6
		}
		if _, err := exec.LookPath(cmd); err != nil {
			return nil, fmt.Errorf("fw: %s (%s rules): %w: %w", cmd, f, ErrNotInstalled, err)
		}
		t, err := iptables.New(iptables.IPFamily(proto), iptables.Path(cmd), iptables.Timeout(wait))
		if err != nil {
			return nil, fmt.Errorf("fw: %s (%s rules): %w", cmd, f, err)
		}
		return t, nil
	}
	return m, nil
}

// Backend returns the backend in use (the detected one for BackendAuto).
func (m *Manager) Backend() Backend { return m.backend }

// Marker returns the comment that marks our rules.
func (m *Manager) Marker() string { return m.marker }

// isNotExist recognises go-iptables' "no such chain or rule" errors.
func isNotExist(err error) bool {
	var e *iptables.Error
	return errors.As(err, &e) && e.IsNotExist()
}

// tableFor returns the family's iptables, opening it on first use. mu held.
func (m *Manager) tableFor(f Family) (table, error) {
	if t, ok := m.tables[f]; ok {
		return t, nil
	}
	t, err := m.newTable(f)
	if err != nil {
		return nil, err
	}
	if m.tables == nil {
		m.tables = map[Family]table{}
	}
	m.tables[f] = t
	return t, nil
}

// Ensure implements Firewall.
//
// Equivalent to, per missing rule: `iptables -t filter -I $chain 1 <rule>`;
// per extra or stale rule of ours: `iptables -t filter -D $chain <rule>`.
func (m *Manager) Ensure(chain string, rules ...Rule) error {
	byFamily := map[Family][]Rule{}
	for _, r := range rules {
		if err := r.validate(); err != nil {
			return err
		}
		if !containsRule(byFamily[r.Family], r) {
			byFamily[r.Family] = append(byFamily[r.Family], r)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	var errs []error
	for _, f := range []Family{IPv4, IPv6} {
		if want := byFamily[f]; len(want) > 0 {
			if err := m.ensureFamily(f, chain, want); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

func containsRule(rs []Rule, r Rule) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}

// ensureFamily reconciles one family. mu held.
func (m *Manager) ensureFamily(f Family, chain string, want []Rule) error {
	t, err := m.tableFor(f)
	if err != nil {
		return err
	}
	owned, err := m.listOwned(t, f, chain)
	if err != nil {
		return err
	}
	present := make([]int, len(want))
	var drop []listedRule
	for _, l := range owned {
		i := indexMatching(want, l)
		switch {
		case i < 0:
			drop = append(drop, l) // ours, but no longer wanted (or altered)
		case present[i] > 0:
			drop = append(drop, l) // duplicate
		default:
			present[i]++
		}
	}
	if err := m.deleteAll(t, f, chain, drop); err != nil {
		return err
	}
	// Insert missing rules last-first at position 1, so they end up at the
	// top of the chain in the order given.
	for i := len(want) - 1; i >= 0; i-- {
		if present[i] > 0 {
			continue
		}
		if err := t.Insert(m.table, chain, 1, want[i].spec(m.marker)...); err != nil {
			return fmt.Errorf("fw: inserting %s into chain %q (table %s, %s backend): %w", want[i], chain, m.table, m.backend, err)
		}
	}
	return nil
}

func indexMatching(want []Rule, l listedRule) int {
	for i, r := range want {
		if l.matches(r) {
			return i
		}
	}
	return -1
}

// Remove implements Firewall. A missing chain holds nothing of ours and is
// not an error; a family whose binary is not installed is skipped.
//
// Equivalent to, per rule of ours: `iptables -t filter -D $chain <rule>`.
func (m *Manager) Remove(chain string) error {
	mu.Lock()
	defer mu.Unlock()
	var errs []error
	for _, f := range []Family{IPv4, IPv6} {
		t, err := m.tableFor(f)
		if err != nil {
			if errors.Is(err, ErrNotInstalled) {
				continue
			}
			errs = append(errs, err)
			continue
		}
		owned, err := m.listOwned(t, f, chain)
		if errors.Is(err, ErrChainNotFound) {
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := m.deleteAll(t, f, chain, owned); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// listOwned lists the rules of chain that carry our marker.
//
// Equivalent to: `iptables -t filter -S $chain`
func (m *Manager) listOwned(t table, f Family, chain string) ([]listedRule, error) {
	lines, err := t.List(m.table, chain)
	if err != nil {
		// iptables-nft 1.8.9 reports a missing chain as "incompatible", so
		// the message alone cannot be trusted: ask whether the chain exists.
		if m.notExist(err) || !m.chainExists(t, chain) {
			return nil, fmt.Errorf("fw: chain %q in table %s (%s, %s backend): %w", chain, m.table, f, m.backend, ErrChainNotFound)
		}
		return nil, fmt.Errorf("fw: listing chain %q in table %s (%s, %s backend): %w", chain, m.table, f, m.backend, err)
	}
	var owned []listedRule
	for _, line := range lines {
		l, ok, err := parseRuleLine(line)
		if err != nil {
			return nil, fmt.Errorf("fw: listing chain %q (%s): %w", chain, f, err)
		}
		if ok && l.chain == chain && l.comment == m.marker {
			owned = append(owned, l)
		}
	}
	return owned, nil
}

// chainExists reports whether chain is definitely present; an error
// counts as present, so that the original error is reported.
//
// Equivalent to: `iptables -t filter -S` and looking for "-N $chain" or
// "-P $chain".
func (m *Manager) chainExists(t table, chain string) bool {
	ok, err := t.ChainExists(m.table, chain)
	return ok || err != nil
}

// deleteAll deletes each listed rule once; a rule already gone (another
// process was faster) is fine.
func (m *Manager) deleteAll(t table, f Family, chain string, rules []listedRule) error {
	if len(rules) > maxDeletes {
		rules = rules[:maxDeletes]
	}
	for _, l := range rules {
		if err := t.Delete(m.table, chain, l.args...); err != nil && !m.notExist(err) {
			return fmt.Errorf("fw: deleting %q from chain %q (table %s, %s, %s backend): %w", strings.Join(l.args, " "), chain, m.table, f, m.backend, err)
		}
	}
	return nil
}
