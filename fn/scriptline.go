package fn

import (
	"slices"
	"strings"
)

// The interpreters the Agent image ships (hack/node-rootfs.sh): the paths a
// #! line may name, and the programs `#!/usr/bin/env NAME` may start.
var (
	agentInterpreters = []string{
		"/bin/bash", "/usr/bin/bash", "/bin/sh", "/usr/bin/sh",
		"/usr/bin/awk", "/usr/bin/mawk", "/bin/sed",
	}
	agentEnvPrograms = []string{"bash", "sh", "awk", "mawk", "sed"}
)

// AgentInterpreters lists what the Agent image can run from a #! line: the
// interpreter paths, and the programs `#!/usr/bin/env NAME` may name. The
// image test checks that the image has every one.
func AgentInterpreters() (paths, envPrograms []string) {
	return slices.Clone(agentInterpreters), slices.Clone(agentEnvPrograms)
}

// envPath is coreutils' env, the usual way to find an interpreter on PATH.
const envPath = "/usr/bin/env"

// interpreterLine is the #! line of a script: the interpreter path and, for
// `#!/usr/bin/env NAME`, the program env starts.
type interpreterLine struct {
	path, program string
}

// checkScriptLine reports, at field, a script whose first line the kernel
// cannot execute: no #!, no interpreter, a relative interpreter path, or a
// CRLF line end (the kernel would look for "/bin/bash\r"). It returns the
// line when it is usable.
func checkScriptLine(field, text string, out *problems) (interpreterLine, bool) {
	line, _, _ := strings.Cut(text, "\n")
	rest, ok := strings.CutPrefix(line, "#!")
	if !ok {
		out.errorf(field, "must start with an interpreter line such as #!/bin/bash: the script is executed directly, not through a shell")
		return interpreterLine{}, false
	}
	fields := strings.Fields(rest)
	switch {
	case len(fields) == 0:
		out.errorf(field, "the #! line names no interpreter: write one, such as #!/bin/bash")
		return interpreterLine{}, false
	case strings.HasSuffix(rest, "\r"):
		out.errorf(field, "the #! line ends in a carriage return (Windows line ends): the kernel would run %q; save the script with LF line ends", strings.TrimLeft(rest, " \t"))
		return interpreterLine{}, false
	case !strings.HasPrefix(fields[0], "/"):
		out.errorf(field, "the #! line names %q, not an absolute path: the kernel does not search PATH; write #!/bin/%s or #!/usr/bin/env %s", fields[0], fields[0], fields[0])
		return interpreterLine{}, false
	}
	il := interpreterLine{path: fields[0]}
	if il.path == envPath && len(fields) > 1 {
		il.program = fields[1]
	}
	return il, true
}

// warnInterpreter warns, for the Agent target, when the #! line of the
// script at field names an interpreter the Agent image does not ship: the
// script could not start in the default image.
func warnInterpreter(p *plan, field, text string, out *problems) {
	if p.keepalived() || text == "" {
		return
	}
	var none problems // errors were reported by resolveScripts
	il, ok := checkScriptLine(field, text, &none)
	if !ok || shippedInterpreter(il) {
		return
	}
	name := il.path
	if il.program != "" {
		name = envPath + " " + il.program
	}
	out.warnf(field, "the #! line names %s, which the Agent image does not ship (it has %s, and %s with %s): the script cannot start there unless spec.image has it",
		name, strings.Join(agentInterpreters, ", "), envPath, strings.Join(agentEnvPrograms, ", "))
}

// shippedInterpreter reports whether the Agent image can run the line.
func shippedInterpreter(il interpreterLine) bool {
	if slices.Contains(agentInterpreters, il.path) {
		return true
	}
	return il.path == envPath && slices.Contains(agentEnvPrograms, il.program)
}
