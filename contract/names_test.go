package contract

import "testing"

func TestNames(t *testing.T) {
	tests := []struct{ name, scrubbed, instance1 string }{
		{"ipfailover", "ipfailover", "ipfailover_VIP_1"},
		{"ipf-ha.x", "ipf_hax", "ipf_hax_VIP_1"},
		{"OpenShift-IPFailover", "OpenShift_IPFailover", "OpenShift_IPFailover_VIP_1"},
	}
	for _, tt := range tests {
		if got := ScrubbedName(tt.name); got != tt.scrubbed {
			t.Errorf("ScrubbedName(%q) = %q, want %q", tt.name, got, tt.scrubbed)
		}
		if got := InstanceName(tt.name, 1); got != tt.instance1 {
			t.Errorf("InstanceName(%q, 1) = %q, want %q", tt.name, got, tt.instance1)
		}
	}
	if got := InstanceName("a", 12); got != "a_VIP_12" {
		t.Errorf("InstanceName(a, 12) = %q", got)
	}
	// keepalived sends the first 8 bytes of auth_pass: "ipfailover" -> "ipfailov".
	if p := AuthPass("ipfailover"); string(p[:]) != "ipfailov" {
		t.Errorf("AuthPass(ipfailover) = %q", p)
	}
	if p := AuthPass("bench"); string(p[:]) != "bench\x00\x00\x00" {
		t.Errorf("AuthPass(bench) = %q", p)
	}
}

func TestKnownAndAgentOnlyVars(t *testing.T) {
	known := map[string]bool{}
	for _, v := range KnownVars() {
		if known[v] {
			t.Errorf("%s listed twice", v)
		}
		known[v] = true
	}
	// Every variable Env writes, and every field's variable, is known.
	c := ImageDefaults()
	c.Priority, c.Nodes = 1, []string{"n"}
	for _, v := range c.Env() {
		if !known[v.Name] {
			t.Errorf("Env writes %s, which KnownVars lacks", v.Name)
		}
	}
	for f := FieldConfigName; f <= FieldIPTablesBackend; f++ {
		if !known[f.EnvName()] {
			t.Errorf("field %d (%s) is not in KnownVars", f, f.EnvName())
		}
	}
	for _, v := range []string{EnvVRRPVersion, EnvAdvertInterval, EnvHealthPort, EnvPriority, EnvNodes, EnvNodeName, EnvIPTablesBackend} {
		if !AgentOnly(v) {
			t.Errorf("%s should be agent-only", v)
		}
	}
	if AgentOnly(EnvVirtualIPs) || AgentOnly(EnvExcludedVRIDs) {
		t.Error("image variables marked agent-only")
	}
}
