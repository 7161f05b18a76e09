package check

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/failoverkit/ipfailover/contract"
)

// ForConfig picks the checker the configuration asks for: its declarative
// check (OPENSHIFT_HA_CHECK_TCP or _HTTP) when set, otherwise what For
// picks from the script and the monitor port. nodeIP is the node's own
// address, the target of a check with an empty host.
func ForConfig(cfg contract.Config, nodeIP netip.Addr) (Checker, error) {
	if cfg.Check == nil {
		return For(cfg.CheckScript, cfg.MonitorPort, nodeIP), nil
	}
	return Declarative(cfg.Check, nodeIP, cfg.CheckInterval)
}

// Declarative is the checker of a declarative check, each run bounded by
// its timeout when that is shorter than the interval (Run bounds every run
// by the interval).
func Declarative(k *contract.Check, nodeIP netip.Addr, interval time.Duration) (Checker, error) {
	var c Checker
	switch k.Kind {
	case contract.CheckTCP:
		ap, err := netip.ParseAddrPort(k.Target(nodeIP))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", contract.EnvCheckTCP, err)
		}
		c = TCP{Addr: ap}
	case contract.CheckHTTP, contract.CheckHTTPS:
		c = NewHTTP(k.URL(nodeIP), k.StatusMin, k.StatusMax, k.InsecureSkipVerify)
	default:
		return nil, fmt.Errorf("unknown declarative check %v", k.Kind)
	}
	if t := k.EffectiveTimeout(interval); t < interval {
		c = Bounded{Checker: c, Timeout: t}
	}
	return c, nil
}

// Bounded runs Checker with a timeout shorter than the interval.
type Bounded struct {
	Checker
	Timeout time.Duration
}

// Check runs the check until it ends or Timeout passes.
func (b Bounded) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, b.Timeout)
	defer cancel()
	return b.Checker.Check(ctx)
}

func (b Bounded) String() string { return fmt.Sprintf("%s, timeout %s", b.Checker, b.Timeout) }
