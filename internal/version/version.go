// Package version is the project's one version: the release both binaries
// report with --version, and the tag of the images that the renderer names
// by default and that `make images` builds (hack/images.mk reads Release
// from this file).
package version

import (
	"runtime/debug"
	"strings"
)

// Release is this tree's release. The renderer's default images carry it
// as their tag, and so do the images `make images` builds.
const Release = "v0.1.0"

// Version is the version the binaries report: Release, unless the build
// sets another with -ldflags "-X github.com/failoverkit/ipfailover/internal/version.Version=...".
var Version = Release

// String is the line both binaries print for --version and version:
// "<program> <Version>", followed by the commit `go build` stamped from
// Git, if any: "ipfailover-node v0.1.0 (commit 05668b7, modified)".
func String(program string) string {
	s := program + " " + Version
	if info, ok := debug.ReadBuildInfo(); ok {
		if c := commit(info.Settings); c != "" {
			s += " (" + c + ")"
		}
	}
	return s
}

// commit describes the vcs.revision and vcs.modified build settings.
func commit(settings []debug.BuildSetting) string {
	var rev, modified string
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return ""
	}
	parts := []string{"commit " + rev[:min(len(rev), 7)]}
	if modified == "true" {
		parts = append(parts, "modified")
	}
	return strings.Join(parts, ", ")
}
