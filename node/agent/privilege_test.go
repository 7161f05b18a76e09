package agent

import (
	"strings"
	"syscall"
	"testing"
)

func TestCheckCapabilities(t *testing.T) {
	for _, tc := range []struct {
		eff  string
		want []string // words the error must hold; nil for no error
	}{
		{"000001ffffffffff", nil},
		{"0000000000003000", nil},
		{"0000000000002000", []string{"CAP_NET_ADMIN"}},
		{"0000000000001000", []string{"CAP_NET_RAW"}},
		{"0000000000000000", []string{"CAP_NET_ADMIN", "CAP_NET_RAW", "securityContext"}},
		{"zz", []string{"zz"}},
	} {
		err := checkCapabilities(tc.eff)
		if tc.want == nil {
			if err != nil {
				t.Errorf("%s: %v", tc.eff, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: no error", tc.eff)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", tc.eff, err, w)
			}
		}
	}
	if err := needCap(syscall.EPERM, capNetRaw, "x"); !strings.Contains(err.Error(), "CAP_NET_RAW") {
		t.Errorf("needCap: %v", err)
	}
	if err := needCap(syscall.ENODEV, capNetRaw, "x"); err != syscall.ENODEV {
		t.Errorf("needCap changed an unrelated error: %v", err)
	}
}
