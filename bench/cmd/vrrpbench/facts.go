//go:build linux

package main

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Facts describe the machine and the code a run measured.
type Facts struct {
	Date       string `json:"date"`
	Host       string `json:"host"`
	NProc      int    `json:"nproc"`
	CPU        string `json:"cpu"`
	Kernel     string `json:"kernel"`
	Keepalived string `json:"keepalived"`
	Go         string `json:"go"`
	Commit     string `json:"commit"`
	Dirty      bool   `json:"dirty"`
	LoadStart  string `json:"load_start"`
	LoadEnd    string `json:"load_end,omitempty"`
	Command    string `json:"command"`
}

func collectFacts(keepalived string) Facts {
	f := Facts{
		Date:       time.Now().UTC().Format(time.RFC3339),
		NProc:      runtime.NumCPU(),
		Keepalived: keepalived,
		Go:         runtime.Version(),
		LoadStart:  loadavg(),
		Command:    strings.Join(os.Args, " "),
	}
	f.Host, _ = os.Hostname()
	f.Kernel = firstLine(cmdOut("uname", "-r"))
	f.Commit = firstLine(cmdOut("git", "rev-parse", "--short=12", "HEAD"))
	f.Dirty = strings.TrimSpace(cmdOut("git", "status", "--porcelain", "--untracked-files=no")) != ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				f.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return f
}

// loadavg is the first three fields of /proc/loadavg.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func cmdOut(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "?"
	}
	return string(out)
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}
