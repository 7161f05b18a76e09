//go:build linux

package lab

import (
	"fmt"
	"os"

	"github.com/failoverkit/ipfailover/internal/nslab"
)

// The namespace machinery is the repository's one lab package, nslab; the
// bench names its parts here.
type (
	// NS is a namespace the bench created.
	NS = nslab.NS
	// Cleanups removes everything the bench created, newest first.
	Cleanups = nslab.Cleanups
	// Process is a command running in a namespace.
	Process = nslab.Process
)

// NewCleanups returns an empty list that logs failed steps to log.
var NewCleanups = nslab.NewCleanups

// Start runs args in the host's namespace, in its own process group, with
// env added to the bench's environment and stdout and stderr going to
// logPath; the log file is closed once the process is reaped.
func (h *Host) Start(cl *Cleanups, name, logPath string, env []string, args ...string) (*Process, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("log of %s: %w", name, err)
	}
	p, err := h.NS.Start(cl, name, f, env, func() { f.Close() }, args...)
	if err != nil {
		f.Close()
		return nil, err
	}
	return p, nil
}
