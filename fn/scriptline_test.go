package fn

import (
	"strings"
	"testing"
)

// TestScriptLine checks the #! line rules on both scripts: errors for a
// line the kernel cannot execute, a warning for an interpreter the Agent
// image lacks, nothing for the ones it ships.
func TestScriptLine(t *testing.T) {
	const vip = "virtualIPs: [192.0.2.10]\n"
	script := func(field, text string) string {
		return vip + field + ": " + strings.ReplaceAll(strings.ReplaceAll(quote(text), "\n", `\n`), "\r", `\r`) + "\n"
	}
	tests := []struct {
		name, spec string
		want       []string
	}{
		{"bash", script("checkScript", "#!/bin/bash\nexit 0\n"), nil},
		{"sh with a space and an argument", script("checkScript", "#! /bin/sh -eu\nexit 0\n"), nil},
		{"RHEL path", script("notifyScript", "#!/usr/bin/bash\necho \"$@\"\n"), nil},
		{"env bash", script("checkScript", "#!/usr/bin/env bash\nexit 0\n"), nil},
		{"awk", script("checkScript", "#!/usr/bin/awk -f\nBEGIN { exit 0 }\n"), nil},
		{"no #!", script("checkScript", "exit 0\n"), []string{"error spec.checkScript: interpreter line"}},
		{"empty interpreter", script("notifyScript", "#!\necho\n"), []string{"error spec.notifyScript: names no interpreter"}},
		{"blank interpreter", script("checkScript", "#!  \t\nexit 0\n"), []string{"error spec.checkScript: names no interpreter"}},
		{"CRLF", script("checkScript", "#!/bin/bash\r\nexit 0\r\n"), []string{`error spec.checkScript: carriage return (Windows line ends): the kernel would run "/bin/bash\r"`}},
		{"CRLF after an argument", script("checkScript", "#!/bin/sh -e\r\nexit 0\r\n"), []string{"error spec.checkScript: carriage return"}},
		{"relative", script("checkScript", "#!bash\nexit 0\n"), []string{`error spec.checkScript: names "bash", not an absolute path`}},
		{"python", script("checkScript", "#!/usr/bin/python3\n"), []string{"warning spec.checkScript: names /usr/bin/python3, which the Agent image does not ship"}},
		{"env perl", script("notifyScript", "#!/usr/bin/env perl\n"), []string{"warning spec.notifyScript: names /usr/bin/env perl"}},
		{"bare env", script("checkScript", "#!/usr/bin/env\n"), []string{"warning spec.checkScript: names /usr/bin/env,"}},
		{"keepalived image is not ours", script("checkScript", "#!/usr/bin/python3\n") + "target: Keepalived\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectFindings(t, findings(Render(parse(t, ipfailover("set", "ns", tt.spec)), nil).Results), tt.want)
		})
	}
}

// quote writes s as a YAML double-quoted string (the escapes are added by
// the caller).
func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// FuzzScriptLine: any script text is judged without a panic, and a line
// found usable names an absolute interpreter on a line without a CR.
func FuzzScriptLine(f *testing.F) {
	for _, s := range []string{"#!/bin/bash\n", "#!\r\n", "#! /usr/bin/env bash -e", "exit 0", "#!bash", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var out problems
		il, ok := checkScriptLine("spec.checkScript", text, &out)
		if ok != (len(out) == 0) {
			t.Fatalf("ok %v with %d problems", ok, len(out))
		}
		line, _, _ := strings.Cut(text, "\n")
		if ok && (!strings.HasPrefix(il.path, "/") || strings.HasSuffix(line, "\r")) {
			t.Fatalf("%q accepted as %+v", text, il)
		}
	})
}
