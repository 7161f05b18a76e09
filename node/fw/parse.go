package fw

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// This file reads the rules of one chain as `iptables -S <chain>` prints
// them (the iptables-save format): "-A <chain> <options...>", with option
// values quoted in double quotes and \" \\ \' escaped when they contain
// characters outside [A-Za-z0-9_-] (xtables_save_string in libxtables).

// errUnterminated reports a quoted value without its closing quote.
var errUnterminated = errors.New("fw: unterminated quoted value in iptables output")

// listedRule is one "-A" line.
type listedRule struct {
	// chain is the chain name after -A; args are the tokens after it,
	// usable as a rule spec for `iptables -D <chain> args...`.
	chain string
	args  []string

	src, dst netip.Prefix
	proto    string
	target   string
	comment  string
	// negated is set if any match is inverted ("!").
	negated bool
	// extra is set if the rule has options beyond -s -d -p
	// "-m comment --comment" -j.
	extra bool
}

// splitRuleLine splits one line of iptables-save output into tokens,
// removing quotes and escapes.
func splitRuleLine(line string) ([]string, error) {
	var tokens []string
	var cur strings.Builder
	inTok, quoted := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quoted && c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
		case quoted && c == '"':
			quoted = false
		case quoted:
			cur.WriteByte(c)
		case c == '"':
			quoted, inTok = true, true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inTok {
				tokens = append(tokens, cur.String())
				cur.Reset()
				inTok = false
			}
		default:
			cur.WriteByte(c)
			inTok = true
		}
	}
	if quoted {
		return nil, fmt.Errorf("%w: %q", errUnterminated, line)
	}
	if inTok {
		tokens = append(tokens, cur.String())
	}
	return tokens, nil
}

// parseRuleLine parses one line of `iptables -S`. ok is false for lines
// that are not rules (-P policies, -N chains, blank lines).
func parseRuleLine(line string) (r listedRule, ok bool, err error) {
	tokens, err := splitRuleLine(line)
	if err != nil {
		return listedRule{}, false, err
	}
	if len(tokens) < 2 || tokens[0] != "-A" {
		return listedRule{}, false, nil
	}
	r.chain, r.args = tokens[1], tokens[2:]
	for i := 0; i < len(r.args); i++ {
		opt := r.args[i]
		if opt == "!" {
			r.negated = true
			continue
		}
		val := ""
		if i+1 < len(r.args) {
			val = r.args[i+1]
		}
		switch opt {
		case "-s", "--source", "-d", "--destination":
			p, perr := parseHostOrPrefix(val)
			if perr != nil {
				r.extra = true // not an address we understand: not ours
			} else if opt == "-s" || opt == "--source" {
				r.src = p
			} else {
				r.dst = p
			}
		case "-p", "--protocol":
			r.proto = val
		case "-j", "--jump":
			r.target = val
		case "-m", "--match":
			if val != "comment" {
				r.extra = true
			}
		case "--comment":
			r.comment = val
		default:
			r.extra = true
			continue // unknown option: its value count is unknown
		}
		i++ // skip the value
	}
	return r, true, nil
}

// parseHostOrPrefix accepts "192.0.2.1/32" and "192.0.2.1".
func parseHostOrPrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// matches reports whether a listed rule is exactly the rule r.
func (l listedRule) matches(r Rule) bool {
	if l.negated || l.extra || l.target != "ACCEPT" || (l.proto != vrrpProto && l.proto != "vrrp") {
		return false
	}
	src, dst := r.match()
	return l.src == src && l.dst == dst
}
