package cli

import (
	"flag"
	"io"
	"reflect"
	"testing"
	"time"

	"github.com/failoverkit/ipfailover/fn"
)

func TestParseSelector(t *testing.T) {
	tests := []struct {
		in      string
		want    map[string]string
		wantErr bool
	}{
		{"ha-svc-nodes=geo-us-west", map[string]string{"ha-svc-nodes": "geo-us-west"}, false},
		{"node-role.kubernetes.io/worker=, zone = a", map[string]string{"node-role.kubernetes.io/worker": "", "zone": "a"}, false},
		{"node-role.kubernetes.io/infra", map[string]string{"node-role.kubernetes.io/infra": ""}, false},
		{"a==b", map[string]string{"a": "b"}, false},
		{"a!=b", nil, true},
		{"!a", nil, true},
	}
	for _, tt := range tests {
		got, err := parseSelector(tt.in)
		if (err != nil) != tt.wantErr || (!tt.wantErr && !reflect.DeepEqual(got, tt.want)) {
			t.Errorf("parseSelector(%q) = %v, %v; want %v, error %t", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseInterspersed(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	n := fs.Int("n", 0, "")
	pos, err := parseInterspersed(fs, []string{"-n", "1", "NAME", "-n=2", "OTHER"})
	if err != nil || !reflect.DeepEqual(pos, []string{"NAME", "OTHER"}) || *n != 2 {
		t.Errorf("got %v, %v, n=%d", pos, err, *n)
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		300 * time.Second:       "300s",
		2 * time.Second:         "2s",
		100 * time.Millisecond:  "100ms",
		1500 * time.Millisecond: "1.5s",
	} {
		if got := fn.FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
