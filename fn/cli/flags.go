package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// parseFlags parses the flags of a mode anywhere among its arguments and
// returns the positional ones. A wrong flag is reported on stderr in one
// line that names it, suggests the closest flag of the mode and points to
// the mode's --help; ok is then false. Help is handled before (Main).
func parseFlags(env Env, mode string, fs *flag.FlagSet, args []string) (pos []string, ok bool) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	pos, err := parseInterspersed(fs, args)
	if err == nil {
		return pos, true
	}
	msg := err.Error()
	if name, found := strings.CutPrefix(msg, "flag provided but not defined: "); found {
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, flagName(f.Name)) })
		msg = "unknown flag " + flagName(strings.TrimLeft(name, "-")) + didYouMean(flagName(strings.TrimLeft(name, "-")), names)
	}
	fmt.Fprintf(env.Stderr, "ipfailover-render %s: %s; see ipfailover-render %s --help\n", mode, msg, mode)
	return nil, false
}

// flagName writes a flag as the usages do: -n for one letter, --name else.
func flagName(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
