// Command testsum runs `go test -json` and shows what plain go test shows
// (each package's closing "ok"/"FAIL" line, the output of failing tests,
// build errors), then a count per package of the tests run, passed,
// skipped and failed. Under CI=true a skipped test fails the run: every
// test must run in CI, privileged ones included.
//
// Usage (the Makefile's test target):
//
//	testsum -- go test -json [flags] [packages]
package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(os.Stderr, "usage: testsum -- go test -json [flags] [packages]")
		os.Exit(2)
	}
	os.Exit(run(args, os.Stdout, os.Stderr, os.Getenv("CI") == "true"))
}

// run runs the command, summarises its JSON on stdout and returns the exit
// status: the command's if it failed, 1 if ci and a test was skipped.
func run(args []string, stdout, stderr io.Writer, ci bool) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stderr = stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintln(stderr, "testsum:", err)
		return 1
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "testsum:", err)
		return 1
	}
	// Interrupts reach go test through the terminal's process group; the
	// summary waits for it to end.
	signal.Ignore(syscall.SIGINT)
	s := newSummary(stdout)
	readErr := s.read(pipe)
	waitErr := cmd.Wait()
	s.print(stdout)
	code := 0
	if waitErr != nil {
		code = 1
		if ee, ok := waitErr.(*exec.ExitError); ok && ee.ExitCode() > 0 {
			code = ee.ExitCode()
		}
		fmt.Fprintf(stdout, "testsum: %s failed: %v\n", args[0], waitErr)
	}
	if readErr != nil {
		fmt.Fprintln(stderr, "testsum: reading the test events:", readErr)
		code = max(code, 1)
	}
	if code == 0 && s.failed() > 0 {
		code = 1
	}
	if ci && s.skipped() > 0 {
		fmt.Fprintf(stdout, "testsum: CI=true and %d tests skipped (listed above): every test must run in CI\n", s.skipped())
		code = max(code, 1)
	}
	return code
}
