package suggest

import "testing"

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"replicas", "replicas", 0},
		{"replica", "replicas", 1},
		{"virtualip", "virtualips", 1},
		{"interfcae", "interface", 1}, // transposition
		{"kitten", "sitting", 3},
		{"cleanpu", "cleanup", 1},
		{"ünï", "uni", 2},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	fields := []string{"virtualIPs", "replicas", "interface", "nodeSelector", "vrrp"}
	tests := []struct {
		word   string
		want   string
		wantOK bool
	}{
		{"virtualIP", "virtualIPs", true},
		{"virtualips", "virtualIPs", true}, // case only
		{"replica", "replicas", true},
		{"interfcae", "interface", true},
		{"nodeselecter", "nodeSelector", true},
		{"vrp", "vrrp", true},
		{"image", "", false},
		{"x", "", false},
	}
	for _, tt := range tests {
		got, ok := Closest(tt.word, fields)
		if ok != tt.wantOK || (ok && got != tt.want) {
			t.Errorf("Closest(%q) = %q, %t; want %q, %t", tt.word, got, ok, tt.want, tt.wantOK)
		}
	}
}

func FuzzDistance(f *testing.F) {
	f.Add("replica", "replicas")
	f.Add("ab", "ba")
	f.Fuzz(func(t *testing.T, a, b string) {
		d := Distance(a, b)
		if d != Distance(b, a) {
			t.Fatalf("Distance(%q, %q) = %d is not symmetric", a, b, d)
		}
		if (d == 0) != (string([]rune(a)) == string([]rune(b))) {
			t.Fatalf("Distance(%q, %q) = %d", a, b, d)
		}
		if la, lb := len([]rune(a)), len([]rune(b)); d > max(la, lb) || d < max(la-lb, lb-la) {
			t.Fatalf("Distance(%q, %q) = %d outside its bounds", a, b, d)
		}
	})
}
