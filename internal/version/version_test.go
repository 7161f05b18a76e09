package version

import (
	"os"
	"regexp"
	"runtime/debug"
	"testing"
)

func TestCommit(t *testing.T) {
	tests := []struct {
		settings []debug.BuildSetting
		want     string
	}{
		{nil, ""},
		{[]debug.BuildSetting{{Key: "vcs.modified", Value: "true"}}, ""},
		{[]debug.BuildSetting{{Key: "vcs.revision", Value: "05668b7e2a"}, {Key: "vcs.modified", Value: "false"}}, "commit 05668b7"},
		{[]debug.BuildSetting{{Key: "vcs.revision", Value: "05668b7e2a"}, {Key: "vcs.modified", Value: "true"}}, "commit 05668b7, modified"},
	}
	for _, tt := range tests {
		if got := commit(tt.settings); got != tt.want {
			t.Errorf("commit(%v) = %q, want %q", tt.settings, got, tt.want)
		}
	}
}

// TestImagesTagWithRelease keeps `make images` on the tag the renderer's
// default images carry: hack/images.mk reads Release from this file with
// the expression tested here.
func TestImagesTagWithRelease(t *testing.T) {
	mk, err := os.ReadFile("../../hack/images.mk")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^IMAGE_TAG +\?= \$\(shell sed -n 's/\^const Release = "\\\(\.\*\\\)"\$\$/\\1/p' internal/version/version\.go\)$`).Match(mk) {
		t.Fatalf("hack/images.mk does not take IMAGE_TAG from internal/version.Release")
	}
	src, err := os.ReadFile("version.go")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^const Release = "(.*)"$`).FindSubmatch(src)
	if m == nil || string(m[1]) != Release {
		t.Fatalf("version.go: no line `const Release = %q` for hack/images.mk to read", Release)
	}
}
