package fw

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Backend selects which iptables implementation the rules go to.
type Backend string

// Backends.
const (
	// BackendAuto detects the host's backend (see Detect).
	BackendAuto Backend = "auto"
	// BackendNFT uses iptables-nft and ip6tables-nft (nf_tables).
	BackendNFT Backend = "nft"
	// BackendLegacy uses iptables-legacy and ip6tables-legacy (x_tables).
	BackendLegacy Backend = "legacy"
	// BackendDefault means plain iptables/ip6tables from PATH, whatever
	// they are; Detect returns it when neither variant is installed.
	BackendDefault Backend = "default"
)

// ParseBackend parses a setting: "auto" (or empty), "nft", "legacy".
func ParseBackend(s string) (Backend, error) {
	switch b := Backend(strings.ToLower(strings.TrimSpace(s))); b {
	case "", BackendAuto:
		return BackendAuto, nil
	case BackendNFT, BackendLegacy:
		return b, nil
	default:
		return "", fmt.Errorf("fw: unknown iptables backend %q (want auto, nft or legacy)", s)
	}
}

// Commands are the binaries of one backend.
type Commands struct {
	// IPv4 is the iptables binary (a name looked up in PATH, or a path).
	IPv4 string
	// IPv6 is the ip6tables binary.
	IPv6 string
}

// commandsFor returns the binaries of an explicit backend.
func commandsFor(b Backend) Commands {
	switch b {
	case BackendNFT:
		return Commands{IPv4: "iptables-nft", IPv6: "ip6tables-nft"}
	case BackendLegacy:
		return Commands{IPv4: "iptables-legacy", IPv6: "ip6tables-legacy"}
	default:
		return Commands{IPv4: "iptables", IPv6: "ip6tables"}
	}
}

// kubeletHintChains are chains the kubelet creates in the mangle table of
// the backend it uses, precisely so that containers can find it.
var kubeletHintChains = []string{":KUBE-IPTABLES-HINT ", ":KUBE-KUBELET-CANARY "}

// observation is what Detect learned about one backend.
type observation struct {
	available bool // its save binary exists
	hint      bool // a kubelet hint chain is present
	rules     int  // number of "-A" lines over all tables
}

// choose is the pure decision of Detect.
func choose(nft, legacy observation) Backend {
	switch {
	case !nft.available && !legacy.available:
		return BackendDefault
	case !legacy.available:
		return BackendNFT
	case !nft.available:
		return BackendLegacy
	case nft.hint:
		return BackendNFT
	case legacy.hint:
		return BackendLegacy
	case legacy.rules > nft.rules:
		return BackendLegacy
	default:
		return BackendNFT
	}
}

// prober runs commands and reads files; replaced in tests.
type prober struct {
	lookPath func(string) (string, error)
	output   func(name string, args ...string) (string, error)
	readFile func(string) ([]byte, error)
}

var hostProber = prober{
	lookPath: exec.LookPath,
	output: func(name string, args ...string) (string, error) {
		out, err := exec.Command(name, args...).Output()
		return string(out), err
	},
	readFile: os.ReadFile,
}

// Detect returns the backend the host's rules live in, for the network
// namespace of the calling thread; see the package documentation for the
// rules. It only reads: iptables-nft-save, and iptables-legacy-save when
// the kernel already has legacy tables. It returns BackendDefault if neither
// iptables-nft-save nor iptables-legacy-save is installed.
func Detect() (Backend, error) { return hostProber.detect() }

func (p prober) detect() (Backend, error) {
	nft, err := p.observe("iptables-nft-save", "")
	if err != nil {
		return "", err
	}
	legacy, err := p.observe("iptables-legacy-save", "/proc/thread-self/net/ip_tables_names")
	if err != nil {
		return "", err
	}
	return choose(nft, legacy), nil
}

// observe runs one save binary. If tablesFile is set and lists no table,
// the backend holds nothing and the binary is not run.
func (p prober) observe(saveCmd, tablesFile string) (observation, error) {
	if _, err := p.lookPath(saveCmd); err != nil {
		return observation{}, nil
	}
	o := observation{available: true}
	if tablesFile != "" {
		b, err := p.readFile(tablesFile)
		if err != nil || strings.TrimSpace(string(b)) == "" {
			return o, nil // no legacy table in this namespace: nothing to count
		}
	}
	out, err := p.output(saveCmd)
	if err != nil {
		return observation{}, fmt.Errorf("fw: detecting the iptables backend: %s: %w", saveCmd, err)
	}
	for _, line := range strings.Split(out, "\n") {
		for _, h := range kubeletHintChains {
			if strings.HasPrefix(line, h) {
				o.hint = true
			}
		}
		if strings.HasPrefix(line, "-A ") {
			o.rules++
		}
	}
	return o, nil
}
