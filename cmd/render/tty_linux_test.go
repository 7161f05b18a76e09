package main

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestTerminalStdinPrintsUsage: with no arguments on a terminal there is
// no ResourceList to wait for.
func TestTerminalStdinPrintsUsage(t *testing.T) {
	tty := openTerminal(t)
	r := render(t, tty)
	if r.code != 0 || !strings.HasPrefix(r.stdout, "ipfailover-render renders IPFailover objects") {
		t.Errorf("no arguments on a terminal: exit %d, stdout %q…, stderr %q; want the usage", r.code, firstLine(r.stdout), r.stderr)
	}
	// /dev/null is a character device too, but an (empty) input.
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if r := render(t, null); strings.Contains(r.stdout, "Usage:") {
		t.Errorf("no arguments, stdin /dev/null: the usage, not the KRM function:\n%s", r.stdout)
	}
}

// openTerminal opens a new pseudo-terminal and returns its terminal side
// (closed when the test ends).
func openTerminal(t *testing.T) *os.File {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlocking the pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("naming the pseudo-terminal: %v", err)
	}
	tty, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("opening the pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return tty
}
