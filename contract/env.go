package contract

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Var is one environment variable of the contract.
type Var struct {
	Name, Value string
}

// Lookup reads one environment variable, like os.LookupEnv.
type Lookup func(name string) (string, bool)

// FromEnv decodes the contract from an environment. A variable that is unset
// or empty takes the image default, as the image's ${VAR:-default} does.
// Unlike the image, a value the image would silently mangle is an error that
// names the variable; every such error is returned, joined, and the result
// is also checked with Validate.
func FromEnv(lookup Lookup) (Config, error) {
	c := ImageDefaults()
	get := func(name string) (string, bool) {
		v, ok := lookup(name)
		v = strings.TrimSpace(v)
		return v, ok && v != ""
	}
	d := &decoder{c: &c, set: func(name string) bool { _, ok := get(name); return ok }}
	for _, v := range variables {
		if s, ok := get(v.name); ok {
			v.decode(d, v.field, s)
		}
	}
	if len(d.errs) > 0 {
		return c, errors.Join(d.errs...)
	}
	return c, c.Validate()
}

// ParseInterval reads an advertisement interval: a Go duration ("100ms",
// "1s") or a number of seconds as keepalived's advert_int takes it ("1", "0.1").
func ParseInterval(v string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f <= 0 || f > MaxV3Interval.Seconds() {
			return 0, fmt.Errorf("must be between 10ms and 40.95s")
		}
		return time.Duration(f * float64(time.Second)).Round(time.Millisecond), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("must be a duration such as 1s or 100ms")
	}
	return d, nil
}

// Env is the configuration written as environment variables, every
// behaviour-bearing variable explicitly and in a fixed order, so that the
// reader's defaults never matter: first the variables the table writes
// always, then those it writes when set (the optional source addresses,
// the pinned priority, the node list and the declarative check), each in
// table order. The no-op variables (USE_UNICAST, SELECTOR), the mail
// settings, NFTABLES_RULE and the node name are left out.
func (c Config) Env() []Var {
	var vars []Var
	for _, v := range variables {
		if v.write == always {
			vars = append(vars, Var{v.name, v.encode(c)})
		}
	}
	for _, v := range variables {
		if s := v.encode(c); v.write == whenSet && s != "" {
			vars = append(vars, Var{v.name, s})
		}
	}
	return vars
}
