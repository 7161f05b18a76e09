package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
	"github.com/failoverkit/ipfailover/contract"
	"github.com/failoverkit/ipfailover/fn"
)

// generatorFlags are the flags of "oc adm ipfailover" that still mean
// something, plus -n and -o.
type generatorFlags struct {
	namespace, virtualIPs, selector, iface, chain         string
	checkScript, notifyScript, preemption, serviceAccount string
	image, target, output                                 string
	watchPort, replicas, offset, checkInterval, groups    int
}

func (g *generatorFlags) register(fs *flag.FlagSet) {
	str := func(p *string, names []string, def, help string) {
		for _, n := range names {
			fs.StringVar(p, n, def, help)
		}
	}
	num := func(p *int, names []string, help string) {
		for _, n := range names {
			fs.IntVar(p, n, 0, help)
		}
	}
	str(&g.namespace, []string{"n", "namespace"}, "default", "namespace of the IPFailover and its objects")
	str(&g.virtualIPs, []string{"virtual-ips"}, "", "comma-separated VIPs and ranges, e.g. 10.0.0.10-12,10.0.0.20 (required)")
	num(&g.watchPort, []string{"w", "watch-port"}, "TCP port checked on each node; 0 disables the check (default 80)")
	num(&g.replicas, []string{"r", "replicas"}, "number of nodes running the set (default 2)")
	str(&g.selector, []string{"l", "selector"}, "", "node selector, e.g. node-role.kubernetes.io/worker= (default: every node)")
	str(&g.iface, []string{"i", "interface"}, "", "network interface of VRRP and the VIPs (default eth0)")
	num(&g.offset, []string{"vrrp-id-offset"}, "VRID offset: the first group gets offset+1 (default 10; oc adm used 0)")
	str(&g.chain, []string{"iptables-chain"}, "", `chain that accepts VRRP traffic; "" disables the rule (default INPUT)`)
	str(&g.checkScript, []string{"check-script"}, "", "local file whose content becomes the check script")
	str(&g.notifyScript, []string{"notify-script"}, "", "local file whose content becomes the notify script")
	num(&g.checkInterval, []string{"check-interval"}, "seconds between checks (default 2)")
	str(&g.preemption, []string{"preemption-strategy"}, "", `"preempt_delay N" or "nopreempt" (default "preempt_delay 300")`)
	num(&g.groups, []string{"virtual-ip-groups"}, "number of VRRP groups (default: one per VIP)")
	str(&g.serviceAccount, []string{"service-account"}, "", "ServiceAccount of the pods (default: NAME)")
	str(&g.image, []string{"image"}, "", "container image (default per target)")
	str(&g.target, []string{"target"}, "", "Agent (default) or Keepalived")
	str(&g.output, []string{"o", "output"}, "spec", "spec: print the IPFailover; manifests: print the objects it renders")
}

// runGenerator turns the flags of "oc adm ipfailover" into an IPFailover
// and prints it, or what it renders. Only the flags given appear in the
// spec: the spec's defaults apply to the rest.
func runGenerator(env Env, args []string) int {
	fs := flag.NewFlagSet("ipfailover", flag.ContinueOnError)
	var g generatorFlags
	g.register(fs)
	names, ok := parseFlags(env, "ipfailover", fs, args)
	if !ok {
		return ExitUsage
	}
	if len(names) > 1 {
		fmt.Fprintln(env.Stderr, "ipfailover-render ipfailover: zero arguments or one NAME, please")
		return ExitUsage
	}
	name := "ipfailover"
	if len(names) == 1 {
		name = names[0]
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if g.output != "spec" && g.output != "manifests" {
		fmt.Fprintf(env.Stderr, "ipfailover-render ipfailover: -o %q: use spec or manifests\n", g.output)
		return ExitUsage
	}
	ipf, err := g.spec(name, set)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ipfailover-render ipfailover: %v\n", err)
		return ExitUsage
	}
	obj, err := SpecObject(ipf)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ipfailover-render: %v\n", err)
		return ExitError
	}
	out := fn.Render(nil, obj)
	if code := report(env, out.Results, false); code != ExitOK {
		return code
	}
	if g.output == "manifests" {
		if err := writeStream(env.Stdout, out.Generated); err != nil {
			return ExitError
		}
		return ExitOK
	}
	_, err = io.WriteString(env.Stdout, obj.String())
	if err != nil {
		return ExitError
	}
	return ExitOK
}

// parseInterspersed parses flags before and after positional arguments,
// as "oc adm ipfailover NAME --flag" allows.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// spec builds the IPFailover the flags describe.
func (g *generatorFlags) spec(name string, set map[string]bool) (*v1alpha1.IPFailover, error) {
	given := func(names ...string) bool {
		for _, n := range names {
			if set[n] {
				return true
			}
		}
		return false
	}
	i32 := func(v int) *int32 { x := int32(v); return &x }
	ipf := &v1alpha1.IPFailover{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1alpha1.APIVersion, Kind: v1alpha1.Kind},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: g.namespace},
	}
	s := &ipf.Spec
	if g.virtualIPs == "" {
		return nil, fmt.Errorf("--virtual-ips is required: the VIPs to fail over, e.g. --virtual-ips=10.0.0.10-12")
	}
	s.VirtualIPs = contract.SplitList(g.virtualIPs)
	if given("virtual-ip-groups") {
		s.Groups = int32(g.groups)
	}
	if given("i", "interface") {
		s.Interface = g.iface
	}
	if given("w", "watch-port") {
		s.MonitorPort = i32(g.watchPort)
	}
	if given("r", "replicas") {
		s.Replicas = i32(g.replicas)
	}
	if given("l", "selector") && g.selector != "" {
		sel, err := parseSelector(g.selector)
		if err != nil {
			return nil, err
		}
		s.NodeSelector = sel
	}
	if given("iptables-chain") {
		s.IPTablesChain = &g.chain
	}
	for _, sc := range []struct {
		file string
		dst  *string
	}{{g.checkScript, &s.CheckScript}, {g.notifyScript, &s.NotifyScript}} {
		if sc.file == "" {
			continue
		}
		data, err := os.ReadFile(sc.file)
		if err != nil {
			return nil, err
		}
		*sc.dst = string(data)
	}
	if given("check-interval") {
		s.CheckInterval = &metav1.Duration{Duration: time.Duration(g.checkInterval) * time.Second}
	}
	if given("preemption-strategy") {
		p, err := contract.ParsePreemption(g.preemption)
		if err != nil {
			return nil, fmt.Errorf("--preemption-strategy: %w", err)
		}
		if p.Never {
			s.Preemption = &v1alpha1.Preemption{Never: true}
		} else {
			s.Preemption = &v1alpha1.Preemption{Delay: &metav1.Duration{Duration: p.Delay}}
		}
	}
	if given("vrrp-id-offset") {
		s.VRRP = &v1alpha1.VRRP{IDOffset: i32(g.offset)}
	}
	s.ServiceAccountName = g.serviceAccount
	s.Image = g.image
	s.Target = v1alpha1.Target(g.target)
	return ipf, nil
}

// parseSelector reads "k=v,k2=v2" (a bare "k" or "k=" selects the empty
// value); negative selectors cannot be a nodeSelector.
func parseSelector(sel string) (map[string]string, error) {
	out := map[string]string{}
	for _, part := range strings.Split(sel, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if strings.Contains(part, "!=") || strings.HasPrefix(part, "!") {
			return nil, fmt.Errorf("--selector %q: negative labels cannot select nodes", sel)
		}
		k, v, _ := strings.Cut(part, "=")
		out[strings.TrimSpace(k)] = strings.TrimSpace(strings.TrimPrefix(v, "="))
	}
	return out, nil
}

const generatorUsage = `Usage: ipfailover-render ipfailover [NAME] --virtual-ips=... [flags]

Prints the IPFailover that "oc adm ipfailover NAME [flags]" describes (NAME
defaults to ipfailover). Only the flags given are written; the spec's
defaults apply to the rest.

  -n, --namespace NS            namespace (default "default")
      --virtual-ips LIST        VIPs and ranges, comma-separated (required)
      --virtual-ip-groups N     VRRP groups (default: one per VIP)
  -i, --interface IF            interface (default eth0)
  -w, --watch-port PORT         port checked on each node, 0: no check (default 80)
  -r, --replicas N              nodes running the set (default 2; oc adm: 1)
  -l, --selector K=V,...        node selector (default: every node)
      --vrrp-id-offset N        first VRID is N+1 (default 10; oc adm: 0)
      --iptables-chain CHAIN    chain accepting VRRP, "" for none (default INPUT)
      --check-script FILE       file whose content becomes the check script
      --check-interval SECONDS  seconds between checks (default 2)
      --notify-script FILE      file whose content becomes the notify script
      --preemption-strategy S   "preempt_delay N" or "nopreempt" (default "preempt_delay 300")
      --service-account NAME    ServiceAccount (default NAME)
      --target T                Agent (default) or Keepalived
      --image IMAGE             image (default per target)
  -o, --output spec|manifests   print the IPFailover (default) or what it renders
`
