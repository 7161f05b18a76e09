package fn

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/contract"
)

// importCheck sets spec.check from the workload's declarative check, or
// from its check script when the script is one import recognises (see
// recogniseCheck); such a script is not kept.
func (im *importer) importCheck(s *v1alpha1.IPFailoverSpec, cfg contract.Config) {
	if cfg.Check != nil {
		s.Check = specCheck(cfg.Check)
		return
	}
	k, what := recogniseCheck(s.CheckScript, cfg.CheckInterval)
	if k == nil {
		return
	}
	s.Check, s.CheckScript = k, ""
	im.warnf(contract.EnvCheckScript, "%s: imported as spec.check, which the agent runs itself (no shell, no process per run); the script is not kept", what)
}

// specCheck is the spec form of the contract's declarative check.
func specCheck(k *contract.Check) *v1alpha1.Check {
	out := &v1alpha1.Check{}
	if k.Timeout != 0 {
		out.Timeout = &metav1.Duration{Duration: k.Timeout}
	}
	if k.Kind == contract.CheckTCP {
		out.TCP = &v1alpha1.TCPCheck{Host: k.Host, Port: int32(k.Port)}
		return out
	}
	h := &v1alpha1.HTTPCheck{Host: k.Host, InsecureSkipTLSVerify: k.InsecureSkipVerify}
	def := contract.NewHTTPCheck(k.Kind, "", 0, "")
	if k.Kind == contract.CheckHTTPS {
		h.Scheme = v1alpha1.HTTPSchemeHTTPS
	}
	if k.Port != def.Port {
		p := int32(k.Port)
		h.Port = &p
	}
	if k.Path != def.Path {
		h.Path = k.Path
	}
	if k.StatusMin != def.StatusMin || k.StatusMax != def.StatusMax {
		h.ExpectedStatus = &v1alpha1.StatusRange{Min: int32(k.StatusMin), Max: int32(k.StatusMax)}
	}
	out.HTTP = h
	return out
}

// The one command line of a script import recognises: bash's TCP connect
// (`</dev/tcp/HOST/PORT`, what the image itself runs for the monitor port)
// and a curl of one URL.
var (
	devTCPLine = lazyRegexp(`^(?:exec\s+|:\s*)?[<>]\s*/dev/tcp/([^/\s]+)/(\d+)(?:\s+[0-9]?>\s*/dev/null|\s+2>&1)*$`)
	curlLine   = lazyRegexp(`^(?:exec\s+)?curl\s+(.*)$`)
)

// recogniseCheck reads a check script that does only what a declarative
// check does: after its #! line (bash or sh), comments, blank lines and
// `set -e`-style lines, one command that is either a bash TCP connect or a
// curl of one http(s) URL with only -f, -s, -S, -k, -o /dev/null and
// --max-time. It returns the check and what it recognised, or nil to keep
// the script. Without -f, curl passes on any answer, and so does the
// check (statuses 100-599); with it, statuses below 400.
func recogniseCheck(script string, interval time.Duration) (*v1alpha1.Check, string) {
	lines := strings.Split(script, "\n")
	if len(lines) == 0 || !shellLine(lines[0]) {
		return nil, ""
	}
	var cmd string
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		switch {
		case l == "" || strings.HasPrefix(l, "#") || setLine(l):
		case cmd != "":
			return nil, "" // more than one command
		default:
			cmd = l
		}
	}
	if m := devTCPLine().FindStringSubmatch(cmd); m != nil {
		host := m[1]
		if host == "localhost" {
			host = "127.0.0.1"
		}
		port, err := strconv.Atoi(m[2])
		if a, aerr := netip.ParseAddr(host); err != nil || port < 1 || port > 65535 || aerr != nil || a.Zone() != "" {
			return nil, "" // the check connects to an address, bash resolves names
		}
		return &v1alpha1.Check{TCP: &v1alpha1.TCPCheck{Host: host, Port: int32(port)}}, "the script is a TCP connect to " + host + ":" + m[2]
	}
	if m := curlLine().FindStringSubmatch(cmd); m != nil {
		return recogniseCurl(strings.Fields(m[1]), interval)
	}
	return nil, ""
}

// shellLine reports whether a #! line names bash or sh.
func shellLine(l string) bool {
	f := strings.Fields(strings.TrimPrefix(l, "#!"))
	if !strings.HasPrefix(l, "#!") || len(f) == 0 {
		return false
	}
	switch f[0] {
	case "/bin/bash", "/usr/bin/bash", "/bin/sh", "/usr/bin/sh":
		return len(f) == 1 || len(f) == 2 && setFlags(f[1])
	case envPath:
		return len(f) == 2 && (f[1] == "bash" || f[1] == "sh")
	}
	return false
}

// setLine is `set -e`, `set -eu`, `set -euo pipefail` and the like.
func setLine(l string) bool {
	f := strings.Fields(l)
	if len(f) < 2 || f[0] != "set" {
		return false
	}
	for _, x := range f[1:] {
		if !setFlags(x) && x != "pipefail" {
			return false
		}
	}
	return true
}

func setFlags(x string) bool {
	return len(x) > 1 && x[0] == '-' && strings.Trim(x[1:], "euxo") == ""
}

// recogniseCurl reads curl's arguments.
func recogniseCurl(args []string, interval time.Duration) (*v1alpha1.Check, string) {
	var rawURL string
	fail, insecure := false, false
	var timeout time.Duration
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--fail":
			fail = true
		case a == "--silent" || a == "--show-error":
		case a == "--insecure":
			insecure = true
		case a == "-o" || a == "--output":
			if i+1 >= len(args) || args[i+1] != "/dev/null" {
				return nil, ""
			}
			i++
		case a == "-m" || a == "--max-time":
			if i+1 >= len(args) {
				return nil, ""
			}
			f, err := strconv.ParseFloat(args[i+1], 64)
			if err != nil || f <= 0 {
				return nil, ""
			}
			timeout = time.Duration(f * float64(time.Second))
			i++
		case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && len(a) > 1:
			for _, c := range a[1:] {
				switch c {
				case 'f':
					fail = true
				case 's', 'S':
				case 'k':
					insecure = true
				default:
					return nil, "" // an option the check does not have (-L, -H, -u, …)
				}
			}
		case a == ">/dev/null" || a == "2>&1" || a == "2>/dev/null" || a == "&>/dev/null":
		case rawURL == "" && !strings.HasPrefix(a, "-"):
			rawURL = strings.Trim(a, `"'`)
		default:
			return nil, ""
		}
	}
	u, err := url.Parse(rawURL)
	if rawURL == "" || err != nil || u.User != nil || u.Fragment != "" || u.Hostname() == "" {
		return nil, ""
	}
	h := &v1alpha1.HTTPCheck{Host: u.Hostname(), Path: u.EscapedPath()}
	switch u.Scheme {
	case "http":
	case "https":
		h.Scheme = v1alpha1.HTTPSchemeHTTPS
		h.InsecureSkipTLSVerify = insecure
	default:
		return nil, ""
	}
	if strings.ContainsAny(rawURL, "$`") {
		return nil, "" // a shell expansion
	}
	if h.Path == "" {
		h.Path = "/"
	}
	if u.RawQuery != "" {
		h.Path += "?" + u.RawQuery
	}
	if h.Path == "/" {
		h.Path = "" // the default
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, ""
		}
		n32 := int32(n)
		h.Port = &n32
	}
	if !fail {
		h.ExpectedStatus = &v1alpha1.StatusRange{Min: 100, Max: 599}
	}
	k := &v1alpha1.Check{HTTP: h}
	if timeout > 0 && timeout < interval {
		k.Timeout = &metav1.Duration{Duration: timeout}
	}
	return k, "the script is a curl of " + rawURL
}
