package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// event is one line of `go test -json` (cmd/test2json), with the build
// events of Go 1.24 (ImportPath, build-output, build-fail).
type event struct {
	Action     string
	Package    string
	Test       string
	Output     string
	Elapsed    float64
	ImportPath string
}

// pkgCount counts one package's tests, subtests included.
type pkgCount struct {
	pass, skip, fail int
	elapsed          time.Duration
	result           string // ok, FAIL, or "" (no tests, or not ended)
}

// summary reads the events: it echoes what plain go test would print and
// counts the tests.
type summary struct {
	out     io.Writer
	pkgs    map[string]*pkgCount
	order   []string
	pending map[string][]string // output of running tests, by package and test
	skips   []string            // "pkg TestName: reason" of skipped tests
}

func newSummary(out io.Writer) *summary {
	return &summary{out: out, pkgs: map[string]*pkgCount{}, pending: map[string][]string{}}
}

func (s *summary) pkg(name string) *pkgCount {
	p, ok := s.pkgs[name]
	if !ok {
		p = &pkgCount{}
		s.pkgs[name] = p
		s.order = append(s.order, name)
	}
	return p
}

// read consumes the JSON stream; lines that are not JSON (go vet or
// linker messages on stdout) are echoed as they are.
func (s *summary) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			fmt.Fprintf(s.out, "%s\n", line)
			continue
		}
		s.handle(e)
	}
	return sc.Err()
}

func (s *summary) handle(e event) {
	switch e.Action {
	case "build-output":
		io.WriteString(s.out, e.Output)
		return
	case "build-fail":
		return
	}
	if e.Package == "" {
		return
	}
	p := s.pkg(e.Package)
	key := e.Package + "\x00" + e.Test
	if e.Test == "" {
		switch e.Action {
		case "output":
			// The package's own lines: "ok  pkg 1.2s", "FAIL pkg", "PASS",
			// a panic or timeout report, TestMain's messages.
			if !strings.HasPrefix(e.Output, "=== ") && e.Output != "PASS\n" {
				io.WriteString(s.out, e.Output)
			}
		case "pass", "skip":
			p.result, p.elapsed = "ok", seconds(e.Elapsed)
		case "fail":
			p.result, p.elapsed = "FAIL", seconds(e.Elapsed)
		}
		return
	}
	switch e.Action {
	case "output":
		if !isFrame(e.Output) {
			s.pending[key] = append(s.pending[key], e.Output)
		}
	case "pass":
		p.pass++
		delete(s.pending, key)
	case "skip":
		p.skip++
		var reason []string
		for _, l := range s.pending[key] {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "--- SKIP") {
				reason = append(reason, l)
			}
		}
		s.skips = append(s.skips, e.Package+" "+e.Test+": "+strings.Join(reason, " / "))
		delete(s.pending, key)
	case "fail":
		p.fail++
		// Plain go test prints a failing test's output (with its --- FAIL
		// line, which test2json reports as output of the test).
		io.WriteString(s.out, strings.Join(s.pending[key], ""))
		delete(s.pending, key)
	}
}

// isFrame reports whether a test's output line is test2json's framing
// that plain go test does not print: === RUN, PAUSE, CONT, NAME.
func isFrame(line string) bool {
	return strings.HasPrefix(strings.TrimLeft(line, " "), "=== ")
}

func seconds(f float64) time.Duration {
	return time.Duration(f * float64(time.Second)).Round(10 * time.Millisecond)
}

func (s *summary) skipped() int {
	n := 0
	for _, p := range s.pkgs {
		n += p.skip
	}
	return n
}

func (s *summary) failed() int {
	n := 0
	for _, p := range s.pkgs {
		n += p.fail
	}
	return n
}

// print writes the skipped tests, the table and the totals.
func (s *summary) print(w io.Writer) {
	if len(s.skips) > 0 {
		fmt.Fprintln(w, "\ntestsum: skipped tests:")
		for _, sk := range s.skips {
			fmt.Fprintln(w, "  "+sk)
		}
	}
	fmt.Fprintln(w, "\ntestsum: tests per package (subtests counted):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "run\tpassed\tskipped\tfailed\ttime\t\t  package")
	var total pkgCount
	names := slices.Clone(s.order)
	slices.Sort(names)
	n := 0
	for _, name := range names {
		p := s.pkgs[name]
		run := p.pass + p.skip + p.fail
		if run == 0 && p.result != "FAIL" {
			continue // no test files, or no tests
		}
		n++
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%s\t%s\t  %s\n", run, p.pass, p.skip, p.fail, p.elapsed, p.result, name)
		total.pass, total.skip, total.fail = total.pass+p.pass, total.skip+p.skip, total.fail+p.fail
	}
	tw.Flush()
	fmt.Fprintf(w, "testsum: %d tests run in %d packages: %d passed, %d skipped, %d failed\n",
		total.pass+total.skip+total.fail, n, total.pass, total.skip, total.fail)
}
