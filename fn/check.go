package fn

import (
	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/contract"
)

// resolveCheck turns spec.check into the contract's declarative check:
// exactly one of tcp and http, not together with checkScript, Agent target
// only. The contract checks the values (ports, hosts, statuses, timeout).
func resolveCheck(p *plan, out *problems) *contract.Check {
	s := &p.ipf.Spec
	k := s.Check
	switch {
	case k == nil:
		return nil
	case p.keepalived():
		out.errorf("spec.check", "the Keepalived target runs only check scripts (keepalived's vrrp_script): write the check as spec.checkScript, or use target Agent")
		return nil
	case s.CheckScript != "":
		out.errorf("spec.check", "and spec.checkScript exclude each other: the agent runs one check; drop one")
		return nil
	case k.TCP != nil && k.HTTP != nil:
		out.errorf("spec.check", "sets both tcp and http: the agent runs one check; drop one")
		return nil
	case k.TCP == nil && k.HTTP == nil:
		out.errorf("spec.check", "sets neither tcp nor http: say which check to run, or drop spec.check")
		return nil
	}
	var c *contract.Check
	if t := k.TCP; t != nil {
		c = &contract.Check{Kind: contract.CheckTCP, Host: t.Host, Port: int(t.Port)}
	} else {
		h := k.HTTP
		kind := contract.CheckHTTP
		switch h.Scheme {
		case "", v1alpha1.HTTPSchemeHTTP:
		case v1alpha1.HTTPSchemeHTTPS:
			kind = contract.CheckHTTPS
		default:
			out.errorf("spec.check.http.scheme", "%q is not a scheme: use HTTP or HTTPS", h.Scheme)
			return nil
		}
		port := 0
		if h.Port != nil {
			if port = int(*h.Port); port == 0 {
				out.errorf("spec.check.http.port", "is 0: omit it for the scheme's default (80 for HTTP, 443 for HTTPS)")
				return nil
			}
		}
		c = contract.NewHTTPCheck(kind, h.Host, port, h.Path)
		if r := h.ExpectedStatus; r != nil {
			c.StatusMin, c.StatusMax = int(r.Min), int(r.Max)
			if r.Max == 0 {
				c.StatusMax = c.StatusMin
			}
		}
		c.InsecureSkipVerify = h.InsecureSkipTLSVerify
	}
	if k.Timeout != nil {
		c.Timeout = k.Timeout.Duration
		if c.Timeout == 0 {
			out.errorf("spec.check.timeout", "is 0: omit it to bound each run by spec.checkInterval")
		}
	}
	return c
}

// warnCheck warns about a monitorPort that spec.check makes moot.
func warnCheck(p *plan, out *problems) {
	if s := &p.ipf.Spec; s.Check != nil && s.MonitorPort != nil && s.CheckScript == "" {
		out.warnf("spec.monitorPort", "is ignored: spec.check replaces the port check")
	}
}
