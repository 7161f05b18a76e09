//go:build linux

package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeScript writes an executable shell script into dir.
func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// switchCheck is a check script whose exit status a file controls: it
// fails while <dir>/fail exists.
type switchCheck struct {
	t      *testing.T
	Script string
	flag   string
}

func newSwitchCheck(t *testing.T) switchCheck {
	t.Helper()
	dir := t.TempDir()
	flag := filepath.Join(dir, "fail")
	return switchCheck{t: t, flag: flag, Script: writeScript(t, dir, "check.sh", fmt.Sprintf("test ! -e %q", flag))}
}

// Fail makes the check fail from its next run on.
func (s switchCheck) Fail() {
	s.t.Helper()
	if err := os.WriteFile(s.flag, nil, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

// Pass makes the check pass from its next run on.
func (s switchCheck) Pass() {
	s.t.Helper()
	if err := os.Remove(s.flag); err != nil && !os.IsNotExist(err) {
		s.t.Fatal(err)
	}
}

// notifyLog is a notify script that appends its arguments, one call per
// line, to a log file.
type notifyLog struct {
	t      *testing.T
	Script string
	log    string
}

func newNotifyLog(t *testing.T) notifyLog {
	t.Helper()
	dir := t.TempDir()
	log := filepath.Join(dir, "notify.log")
	return notifyLog{t: t, log: log, Script: writeScript(t, dir, "notify.sh", fmt.Sprintf(`echo "$@" >> %q`, log))}
}

// Lines returns the calls logged so far.
func (n notifyLog) Lines() []string {
	n.t.Helper()
	b, err := os.ReadFile(n.log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		n.t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// writeCRLF rewrites a file with DOS line endings.
func writeCRLF(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(strings.ReplaceAll(strings.ReplaceAll(string(b), "\r", ""), "\n", "\r\n")), 0o755)
}
