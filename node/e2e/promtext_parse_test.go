//go:build linux

package e2e

import (
	"testing"
)

// TestParseMetricsReadsLabelsAndValues pins the little exposition-format
// reader every scenario relies on: labels with escapes, label-less
// samples, comments skipped, and sums filtered on labels.
func TestParseMetricsReadsLabelsAndValues(t *testing.T) {
	text := `# HELP ipfailover_vrrp_state VRRP state per group.
# TYPE ipfailover_vrrp_state gauge
ipfailover_vrrp_state{instance="e2e_VIP_1",vrid="11"} 2
ipfailover_vrrp_state{instance="e2e_VIP_2",vrid="12"} 1
ipfailover_vrrp_transitions_total{instance="e2e_VIP_1",reason="master-resigned",to="MASTER",vrid="11"} 3
ipfailover_vrrp_transitions_total{instance="e2e_VIP_1",reason="startup",to="BACKUP",vrid="11"} 1
odd{v="a\"b\\c"} 1e+00
ipfailover_check_up 1
`
	m, err := parseMetrics(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		match map[string]string
		want  float64
	}{
		{"ipfailover_vrrp_state", map[string]string{"vrid": "11"}, 2},
		{"ipfailover_vrrp_state", nil, 3},
		{"ipfailover_vrrp_transitions_total", map[string]string{"to": "MASTER", "reason": "master-resigned"}, 3},
		{"ipfailover_vrrp_transitions_total", map[string]string{"reason": "master-down"}, 0},
		{"ipfailover_check_up", nil, 1},
		{"odd", map[string]string{"v": `a"b\c`}, 1},
	} {
		if got := m.sum(tc.name, tc.match); got != tc.want {
			t.Errorf("sum(%s, %v) = %v, want %v", tc.name, tc.match, got, tc.want)
		}
	}
	if _, err := parseMetrics("broken{x=\"1\" 2\n"); err == nil {
		t.Error("parseMetrics accepted an unterminated label list")
	}
}
