//go:build linux

package nstest

import (
	"testing"
)

// recTB records whether Skip or Fatal was called.
type recTB struct {
	testing.TB
	skipped, failed bool
}

func (r *recTB) Helper()               {}
func (r *recTB) Skip(...any)           { r.skipped = true }
func (r *recTB) Fatalf(string, ...any) { r.failed = true }

func TestSkipOrFail(t *testing.T) {
	for _, tc := range []struct {
		ci         string
		wantSkip   bool
		wantFailed bool
	}{
		{"", true, false},
		{"false", true, false},
		{"true", false, true},
	} {
		t.Setenv("CI", tc.ci)
		r := &recTB{TB: t}
		skipOrFail(r, "no root")
		if r.skipped != tc.wantSkip || r.failed != tc.wantFailed {
			t.Errorf("CI=%q: skipped=%v failed=%v, want %v %v", tc.ci, r.skipped, r.failed, tc.wantSkip, tc.wantFailed)
		}
	}
}
