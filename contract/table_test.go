package contract

import (
	"net/netip"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestVariablesTable: every Field is carried by exactly one variable of the
// table, every name is listed once and is one the decoder knows.
func TestVariablesTable(t *testing.T) {
	seenName := map[string]bool{}
	seenField := map[Field]int{}
	for _, v := range variables {
		if seenName[v.name] {
			t.Errorf("%s listed twice", v.name)
		}
		seenName[v.name] = true
		if v.field != FieldUnknown {
			seenField[v.field]++
		}
	}
	for f := FieldUnknown + 1; f <= FieldCheckTLSInsecure; f++ {
		if seenField[f] != 1 {
			t.Errorf("field %d is carried by %d variables, want 1", f, seenField[f])
		}
		if f.EnvName() == "UNKNOWN" {
			t.Errorf("field %d has no variable", f)
		}
	}
	if len(KnownVars()) != len(variables) {
		t.Errorf("KnownVars has %d names, the table %d", len(KnownVars()), len(variables))
	}
}

// TestVariablesCodecs: every row decodes and encodes, and says when Env
// writes it.
func TestVariablesCodecs(t *testing.T) {
	for _, v := range variables {
		if v.decode == nil || v.encode == nil {
			t.Errorf("%s: decode %t, encode %t; every row needs both", v.name, v.decode != nil, v.encode != nil)
		}
		if v.write < always || v.write > never {
			t.Errorf("%s: write %d is not always, whenSet or never", v.name, v.write)
		}
	}
}

// TestTableDefaults: every default decodes, is what Env writes for the
// default configuration, and FromEnv of an empty environment starts from
// them.
func TestTableDefaults(t *testing.T) {
	if len(imageDefaultErrs) > 0 {
		t.Fatalf("defaults that do not decode: %v", imageDefaultErrs)
	}
	c := ImageDefaults()
	for _, v := range variables {
		if v.def != "" && v.write != never && v.encode(c) != v.def {
			t.Errorf("%s: default %q is written back as %q", v.name, v.def, v.encode(c))
		}
	}
	want := Config{
		Name: DefaultConfigName, MonitorPort: DefaultMonitorPort, ReplicaCount: ImageReplicaCount,
		VRIDOffset: DefaultVRIDOffset, CheckInterval: DefaultCheckInterval, Preemption: Preemption{Delay: DefaultPreemptDelay},
		AdminEmails: DefaultAdminEmails, SMTPServer: DefaultSMTPServer, VRRPVersion: DefaultVRRPVersion,
		AdvertInterval: DefaultAdvertInterval, HealthPort: DefaultHealthPort, IPTablesBackend: DefaultIPTablesBackend,
	}
	if diff := cmp.Diff(want, c, addrEqual); diff != "" {
		t.Errorf("ImageDefaults (-want +got):\n%s", diff)
	}
}

// TestEnvWritesEveryWrittenRow: a configuration with every optional
// setting writes exactly the rows not marked never, always rows first.
func TestEnvWritesEveryWrittenRow(t *testing.T) {
	c := ImageDefaults()
	c.VIPs = []Range{one(netip.MustParseAddr("192.0.2.1"))}
	c.UnicastSource, c.MulticastSource = netip.MustParseAddr("198.51.100.1"), netip.MustParseAddr("198.51.100.2")
	c.Priority, c.Nodes = 7, []string{"n"}
	c.Check = NewHTTPCheck(CheckHTTPS, "", 8443, "/")
	c.Check.Timeout, c.Check.InsecureSkipVerify = time.Second, true
	got := map[string]int{}
	for i, v := range c.Env() {
		got[v.Name] = i
	}
	lastAlways := -1
	for _, v := range variables {
		i, written := got[v.name]
		switch {
		case v.write == never && written:
			t.Errorf("%s is written but marked never", v.name)
		case v.write != never && !written && v.name != EnvCheckTCP:
			t.Errorf("%s is not written", v.name)
		case v.write == always:
			lastAlways = max(lastAlways, i)
		}
	}
	for _, v := range variables {
		if i, ok := got[v.name]; ok && v.write == whenSet && i < lastAlways {
			t.Errorf("%s (when set) is written before an always variable", v.name)
		}
	}
}
