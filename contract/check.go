package contract

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Variables of the declarative health check (ours): a check the agent runs
// itself at the check interval, instead of a script, with the image's
// semantics (timeout = interval, one failure faults, one success recovers).
// Only the agent reads them; at most one of TCP and HTTP is set, and
// neither together with OPENSHIFT_HA_CHECK_SCRIPT.
const (
	// EnvCheckTCP is HOST:PORT, or :PORT for the node's own address (the
	// monitor port's target); HOST is an IP address, IPv6 in brackets.
	EnvCheckTCP = "OPENSHIFT_HA_CHECK_TCP"
	// EnvCheckHTTP is the URL to GET, http:// or https://; an empty host
	// (http://:8080/healthz) means the node's own address.
	EnvCheckHTTP = "OPENSHIFT_HA_CHECK_HTTP"
	// EnvCheckHTTPStatus is the range of statuses that pass, e.g. 200-399 (the default) or 204.
	EnvCheckHTTPStatus = "OPENSHIFT_HA_CHECK_HTTP_STATUS"
	// EnvCheckTimeout bounds one run, e.g. 500ms; default and maximum the check interval.
	EnvCheckTimeout = "OPENSHIFT_HA_CHECK_TIMEOUT"
	// EnvCheckTLSInsecure, when true, skips the verification of an https
	// server's certificate (verification is on by default).
	EnvCheckTLSInsecure = "OPENSHIFT_HA_CHECK_TLS_INSECURE"
)

// CheckKind names a declarative check.
type CheckKind int

// Declarative checks. The zero value is no check.
const (
	CheckNone CheckKind = iota
	CheckTCP
	CheckHTTP
	CheckHTTPS
)

// String is the kind as the spec and the logs name it.
func (k CheckKind) String() string {
	switch k {
	case CheckTCP:
		return "tcp"
	case CheckHTTP:
		return "http"
	case CheckHTTPS:
		return "https"
	}
	return "none"
}

// Default range of passing HTTP statuses: what curl -f and Kubernetes'
// httpGet probes accept.
const (
	DefaultCheckStatusMin = 200
	DefaultCheckStatusMax = 399
)

// Check is a declarative health check. Host "" is the node's own address
// (its primary IPv4 on the interface, else 127.0.0.1, as for the monitor
// port).
type Check struct {
	Kind CheckKind
	// Host is an IP address for tcp; an IP address or a DNS name for http
	// and https (it is also the Host header and the TLS server name).
	Host string
	// Port is the TCP port; http and https default to 80 and 443.
	Port int
	// Path is the path (and query) of the GET, starting with "/".
	Path string
	// StatusMin and StatusMax bound the statuses that pass.
	StatusMin, StatusMax int
	// Timeout bounds one run; 0 is the check interval.
	Timeout time.Duration
	// InsecureSkipVerify skips the https server's certificate verification.
	InsecureSkipVerify bool
}

// NewHTTPCheck is an http or https check of path on host:port with the
// default statuses; port 0 is the scheme's default.
func NewHTTPCheck(kind CheckKind, host string, port int, path string) *Check {
	if port == 0 {
		port = 80
		if kind == CheckHTTPS {
			port = 443
		}
	}
	if path == "" {
		path = "/"
	}
	return &Check{Kind: kind, Host: host, Port: port, Path: path, StatusMin: DefaultCheckStatusMin, StatusMax: DefaultCheckStatusMax}
}

// Target is the address the check dials: host:port, with the node's own
// address for an empty host.
func (c *Check) Target(nodeIP netip.Addr) string {
	host := c.Host
	if host == "" {
		host = "127.0.0.1"
		if nodeIP.IsValid() {
			host = nodeIP.String()
		}
	}
	return net.JoinHostPort(host, strconv.Itoa(c.Port))
}

// URL is the http or https check's URL, with the node's own address for an
// empty host.
func (c *Check) URL(nodeIP netip.Addr) string {
	return c.Kind.String() + "://" + c.Target(nodeIP) + c.Path
}

// String describes the check for logs, e.g. "https :8443/healthz 200-399".
func (c *Check) String() string {
	t := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	if c.Kind == CheckTCP {
		return "tcp " + t
	}
	s := fmt.Sprintf("%s %s%s %s", c.Kind, t, c.Path, formatStatus(c.StatusMin, c.StatusMax))
	if c.InsecureSkipVerify {
		s += " (certificate not verified)"
	}
	return s
}

func formatStatus(lo, hi int) string {
	if lo == hi {
		return strconv.Itoa(lo)
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

// envValue is the check's OPENSHIFT_HA_CHECK_TCP or _HTTP value.
func (c *Check) envValue() string {
	hp := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	if c.Kind == CheckTCP {
		return hp
	}
	return c.Kind.String() + "://" + hp + c.Path
}

// The codecs of the check's variables. At most one of TCP and HTTP makes
// the check; the others refine it and are an error without it.
var (
	checkTCP = codec{
		decode: func(d *decoder, f Field, v string) {
			if d.set(EnvCheckHTTP) {
				return // reported once, by OPENSHIFT_HA_CHECK_HTTP
			}
			host, port, err := splitHostPort(v)
			if err != nil {
				d.fail(fieldErr(f, -1, v, "must be HOST:PORT or :PORT (%v)", err))
				return
			}
			d.c.Check = &Check{Kind: CheckTCP, Host: host, Port: port}
		},
		encode: func(c Config) string {
			if c.Check == nil || c.Check.Kind != CheckTCP {
				return ""
			}
			return c.Check.envValue()
		},
	}
	checkHTTP = codec{
		decode: func(d *decoder, f Field, v string) {
			if d.set(EnvCheckTCP) {
				d.fail(fieldErr(f, -1, v, "and %s exclude each other: the agent runs one check", EnvCheckTCP))
				return
			}
			k, err := parseCheckURL(v)
			if err != nil {
				d.fail(fieldErr(f, -1, v, "%v", err))
				return
			}
			d.c.Check = k
		},
		encode: func(c Config) string {
			if c.Check == nil || c.Check.Kind == CheckTCP {
				return ""
			}
			return c.Check.envValue()
		},
	}
	checkHTTPStatus = codec{
		decode: func(d *decoder, f Field, v string) {
			lo, hi, err := parseStatus(v)
			switch {
			case err != nil:
				d.fail(fieldErr(f, -1, v, "%v", err))
			case d.c.Check == nil && !d.set(EnvCheckHTTP):
				d.fail(fieldErr(f, -1, v, "is set but %s is not", EnvCheckHTTP))
			case d.c.Check != nil:
				d.c.Check.StatusMin, d.c.Check.StatusMax = lo, hi
			}
		},
		encode: func(c Config) string {
			if c.Check == nil || c.Check.Kind == CheckTCP {
				return ""
			}
			return formatStatus(c.Check.StatusMin, c.Check.StatusMax)
		},
	}
	checkTimeout = codec{
		decode: func(d *decoder, f Field, v string) {
			t, err := time.ParseDuration(v)
			switch {
			case err != nil:
				d.fail(fieldErr(f, -1, v, "must be a duration such as 1s or 500ms"))
			case d.c.Check == nil && !d.set(EnvCheckTCP) && !d.set(EnvCheckHTTP):
				d.fail(fieldErr(f, -1, v, "is set but neither %s nor %s is", EnvCheckTCP, EnvCheckHTTP))
			case d.c.Check != nil:
				d.c.Check.Timeout = t
			}
		},
		encode: func(c Config) string {
			if c.Check == nil || c.Check.Timeout == 0 {
				return ""
			}
			return c.Check.Timeout.String()
		},
	}
	checkTLSInsecure = codec{
		decode: func(d *decoder, f Field, v string) {
			b, err := strconv.ParseBool(v)
			switch {
			case err != nil:
				d.fail(fieldErr(f, -1, v, "must be true or false"))
			case d.c.Check != nil:
				d.c.Check.InsecureSkipVerify = b
			}
		},
		encode: func(c Config) string {
			if c.Check == nil || !c.Check.InsecureSkipVerify {
				return ""
			}
			return "true"
		},
	}
)

// splitHostPort reads HOST:PORT or :PORT with a numeric port.
func splitHostPort(v string) (string, int, error) {
	host, p, err := net.SplitHostPort(v)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, fmt.Errorf("port %q is not a number", p)
	}
	return host, port, nil
}

// parseCheckURL reads an http:// or https:// URL without user, fragment or
// empty port.
func parseCheckURL(v string) (*Check, error) {
	u, err := url.Parse(v)
	if err != nil {
		return nil, fmt.Errorf("is not a URL: %v", err)
	}
	var kind CheckKind
	switch u.Scheme {
	case "http":
		kind = CheckHTTP
	case "https":
		kind = CheckHTTPS
	default:
		return nil, fmt.Errorf("must be an http:// or https:// URL")
	}
	if u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return nil, fmt.Errorf("must be scheme://HOST:PORT/PATH, without user or fragment")
	}
	port := 0
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("port %q is not a number", p)
		}
	} else if strings.HasSuffix(u.Host, ":") {
		return nil, fmt.Errorf("has an empty port")
	}
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return NewHTTPCheck(kind, u.Hostname(), port, path), nil
}

// parseStatus reads "200-399" or "204".
func parseStatus(v string) (int, int, error) {
	a, b, isRange := strings.Cut(v, "-")
	lo, err1 := strconv.Atoi(a)
	hi, err2 := lo, error(nil)
	if isRange {
		hi, err2 = strconv.Atoi(b)
	}
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("must be a status or a range of statuses such as 200-399")
	}
	return lo, hi, nil
}

// validateCheck checks the declarative check against the rest of the
// configuration.
func (c Config) validateCheck() []error {
	k := c.Check
	if k == nil {
		return nil
	}
	var errs []error
	add := func(e *FieldError) { errs = append(errs, e) }
	field, value := FieldCheckHTTP, k.envValue()
	if k.Kind == CheckTCP {
		field = FieldCheckTCP
	}
	if c.CheckScript != "" {
		add(fieldErr(field, -1, "", "and %s exclude each other: a declarative check replaces the script", EnvCheckScript))
	}
	if k.Port < 1 || k.Port > 65535 {
		add(fieldErr(field, -1, value, "port %d is not a TCP port 1..65535", k.Port))
	}
	switch k.Kind {
	case CheckTCP:
		if a, err := netip.ParseAddr(k.Host); k.Host != "" && (err != nil || a.Zone() != "") {
			add(fieldErr(field, -1, value, "host %q must be an IP address, or empty for the node's own address", k.Host))
		}
		if k.InsecureSkipVerify {
			add(fieldErr(FieldCheckTLSInsecure, -1, "", "applies only to an https check"))
		}
	case CheckHTTP, CheckHTTPS:
		if strings.ContainsAny(k.Host, "/?#@ \t\r\n") {
			add(fieldErr(field, -1, value, "host %q is not a host name or IP address", k.Host))
		}
		if !strings.HasPrefix(k.Path, "/") || strings.ContainsAny(k.Path, "# \t\r\n") {
			add(fieldErr(field, -1, value, "path %q must start with / and hold no blanks or #", k.Path))
		}
		if k.StatusMin < 100 || k.StatusMax > 599 || k.StatusMin > k.StatusMax {
			add(fieldErr(FieldCheckHTTPStatus, -1, formatStatus(k.StatusMin, k.StatusMax), "must be HTTP statuses 100..599, the lower first"))
		}
		if k.InsecureSkipVerify && k.Kind != CheckHTTPS {
			add(fieldErr(FieldCheckTLSInsecure, -1, "", "applies only to an https check"))
		}
	default:
		add(fieldErr(field, -1, "", "unknown check kind %d", k.Kind))
	}
	if k.Host == "" && k.Port == c.HealthPort {
		add(fieldErr(field, -1, value, "probes the node's own address on the health port %d: the check would probe the agent itself", c.HealthPort))
	}
	if k.Timeout < 0 || k.Timeout > c.CheckInterval {
		add(fieldErr(FieldCheckTimeout, -1, k.Timeout.String(), "must be positive and at most the check interval (%s): a run must end before the next", c.CheckInterval))
	}
	return errs
}

// EffectiveTimeout is the bound of one run: the timeout, else the interval.
func (c *Check) EffectiveTimeout(interval time.Duration) time.Duration {
	if c.Timeout > 0 && c.Timeout < interval {
		return c.Timeout
	}
	return interval
}
